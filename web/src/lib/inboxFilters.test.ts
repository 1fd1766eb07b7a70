import { describe, expect, test } from 'vitest';
import {
  DEFAULT_FILTERS,
  filtersToApiQuery,
  filtersToSearch,
  hasActiveFilters,
  isInboxTab,
  MAX_PAGE,
  PageTokens,
  parseFilters,
  withFilters,
} from './inboxFilters';

const parse = (query: string) => parseFilters(new URLSearchParams(query));

describe('filters ↔ query string', () => {
  test('a plain tab URL means the defaults, and the defaults give a plain URL', () => {
    expect(parse('')).toEqual(DEFAULT_FILTERS);
    expect(filtersToSearch(DEFAULT_FILTERS).toString()).toBe('');
  });

  test('every filter survives the round trip', () => {
    const query =
      'query=%E5%B9%B4%E5%81%87&flow_id=leave&status=completed&from=2026-01-01&to=2026-02-28&overdue=true&sort=oldest&page=3';
    const filters = parse(query);
    expect(filters).toEqual({
      query: '年假',
      flow_id: 'leave',
      status: 'completed',
      from: '2026-01-01',
      to: '2026-02-28',
      overdue: true,
      sort: 'oldest',
      page: 3,
    });
    expect(parse(filtersToSearch(filters).toString())).toEqual(filters);
  });

  test('malformed values read as "no filter" instead of breaking the page', () => {
    const filters = parse('status=approved&from=2026-02-30&to=yesterday&overdue=1&sort=random&page=-2');
    expect(filters).toEqual(DEFAULT_FILTERS);
    expect(parse('page=2.5').page).toBe(1);
    expect(parse('page=100000').page).toBe(MAX_PAGE);
  });

  test('a reversed date range is put in order', () => {
    const filters = parse('from=2026-03-01&to=2026-01-01');
    expect([filters.from, filters.to]).toEqual(['2026-01-01', '2026-03-01']);
  });

  test('the search text is trimmed and bounded', () => {
    expect(parse('query=%20%20leave%20').query).toBe('leave');
    expect(parse(`query=${'x'.repeat(500)}`).query).toHaveLength(200);
  });

  test('changing a filter goes back to page 1; changing the page keeps the filters', () => {
    const filters = { ...DEFAULT_FILTERS, flow_id: 'leave', page: 4 };
    expect(withFilters(filters, { sort: 'oldest' })).toMatchObject({
      flow_id: 'leave',
      sort: 'oldest',
      page: 1,
    });
    expect(withFilters(filters, { page: 5 })).toMatchObject({ flow_id: 'leave', page: 5 });
  });

  test('hasActiveFilters ignores sort and page', () => {
    expect(hasActiveFilters({ ...DEFAULT_FILTERS, sort: 'oldest', page: 3 })).toBe(false);
    expect(hasActiveFilters({ ...DEFAULT_FILTERS, overdue: true })).toBe(true);
  });
});

describe('API query', () => {
  test('carries filters, sort and page size, never the page number', () => {
    const filters = parse('query=Li&flow_id=leave&from=2026-01-01&sort=oldest&page=2');
    expect(filtersToApiQuery(filters, 'done')).toEqual({
      query: 'Li',
      flow_id: 'leave',
      from: '2026-01-01',
      sort: 'oldest',
      page_size: '20',
    });
  });

  test('status means nothing on the to-do tab, overdue only there', () => {
    const filters = parse('status=completed&overdue=true');
    expect(filtersToApiQuery(filters, 'todo')).toMatchObject({ overdue: 'true' });
    expect(filtersToApiQuery(filters, 'todo')).not.toHaveProperty('status');
    expect(filtersToApiQuery(filters, 'started')).toMatchObject({ status: 'completed' });
    expect(filtersToApiQuery(filters, 'started')).not.toHaveProperty('overdue');
  });

  test('tabs', () => {
    expect(['todo', 'done', 'started', 'cc'].every(isInboxTab)).toBe(true);
    expect(isInboxTab('new')).toBe(false);
    expect(isInboxTab(undefined)).toBe(false);
  });
});

describe('PageTokens', () => {
  test('page n is fetched with the token page n−1 returned', () => {
    const tokens = new PageTokens();
    expect(tokens.tokenFor(1)).toBeUndefined();
    expect(tokens.tokenFor(2)).toBeNull();
    expect(tokens.highestReachable()).toBe(1);
    tokens.record(1, 'p2');
    expect(tokens.tokenFor(2)).toBe('p2');
    expect(tokens.tokenFor(3)).toBeNull();
    expect(tokens.highestReachable()).toBe(2);
    tokens.record(2, 'p3');
    tokens.record(3, undefined);
    expect(tokens.highestReachable()).toBe(3);
    expect(tokens.lastPage()).toBe(3);
    expect(tokens.tokenFor(4)).toBeNull();
  });

  test('a page that gains a successor is no longer the last', () => {
    const tokens = new PageTokens();
    tokens.record(1, undefined);
    expect(tokens.lastPage()).toBe(1);
    tokens.record(1, 'p2');
    expect(tokens.lastPage()).toBeUndefined();
    expect(tokens.tokenFor(2)).toBe('p2');
  });
});
