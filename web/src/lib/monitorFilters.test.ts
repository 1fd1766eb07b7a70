import { describe, expect, it } from 'vitest';
import { filtersFromUrl, filtersToApiQuery, filtersToUrl, withFilters } from './monitorFilters';

describe('process monitoring filters', () => {
  it('round-trips through the URL and drops what is malformed', () => {
    const filters = filtersFromUrl(
      new URLSearchParams(
        'status=in_progress,lost,completed&flow=12&waiting=3&from=2026-03-01&to=nope&sort=waiting&page=2',
      ),
    );
    expect(filters.status).toEqual(['in_progress', 'completed']);
    expect(filters.flow).toBe('12');
    expect(filters.to).toBe('');
    expect(filters.sort).toBe('waiting');
    expect(filters.page).toBe(2);
    expect(filtersFromUrl(filtersToUrl(filters))).toEqual(filters);
    expect(filtersFromUrl(new URLSearchParams('flow=abc&waiting=-1&page=0'))).toMatchObject({
      flow: '',
      waiting: '',
      page: 1,
    });
  });

  it('names the API parameters, statuses repeated', () => {
    const filters = withFilters(filtersFromUrl(new URLSearchParams('page=3')), {
      status: ['in_progress', 'revoking'],
      initiator: 'employee',
      node: 'manager',
      waiting: '5',
    });
    expect(filters.page).toBe(1);
    expect(filtersToApiQuery(filters).toString()).toBe(
      'status=in_progress&status=revoking&initiator_user_id=employee&current_node_id=manager&waiting_days=5',
    );
  });
});
