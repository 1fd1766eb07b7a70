import type { InboxTab, ProcessStatus } from '@contract';

export const INBOX_TABS: readonly InboxTab[] = ['todo', 'done', 'started', 'cc'];
export const PROCESS_STATUSES: readonly ProcessStatus[] = [
  'in_progress',
  'completed',
  'rejected',
  'withdrawn',
  'revoked',
  'revoking',
];
export const PAGE_SIZE = 20;
/** Deep links beyond this page are clamped (each page before it must be walked for its token). */
export const MAX_PAGE = 50;

export interface InboxFilters {
  query: string;
  flow_id: string;
  status: ProcessStatus | '';
  /** `YYYY-MM-DD`, on the process's start. */
  from: string;
  to: string;
  overdue: boolean;
  sort: 'newest' | 'oldest';
  page: number;
}

export const DEFAULT_FILTERS: InboxFilters = {
  query: '',
  flow_id: '',
  status: '',
  from: '',
  to: '',
  overdue: false,
  sort: 'newest',
  page: 1,
};

export function isInboxTab(value: string | undefined): value is InboxTab {
  return (INBOX_TABS as readonly (string | undefined)[]).includes(value);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(text: string | null): string {
  if (!text || !DATE.test(text)) return '';
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? text : '';
}

/**
 * The filters in a URL's query string (`?query=&flow_id=&status=&from=&to=&overdue=true&sort=oldest&page=`).
 * Anything malformed reads as "no filter", so a hand-edited link still opens.
 */
export function parseFilters(search: URLSearchParams): InboxFilters {
  const status = search.get('status') ?? '';
  const page = Number(search.get('page'));
  let from = validDate(search.get('from'));
  let to = validDate(search.get('to'));
  if (from && to && from > to) [from, to] = [to, from];
  return {
    query: (search.get('query') ?? '').trim().slice(0, 200),
    flow_id: (search.get('flow_id') ?? '').trim().slice(0, 64),
    status: (PROCESS_STATUSES as readonly string[]).includes(status) ? (status as ProcessStatus) : '',
    from,
    to,
    overdue: search.get('overdue') === 'true',
    sort: search.get('sort') === 'oldest' ? 'oldest' : 'newest',
    page: Number.isInteger(page) && page >= 1 ? Math.min(page, MAX_PAGE) : 1,
  };
}

/** The query string for these filters: defaults left out, so the plain tab URL stays plain. */
export function filtersToSearch(filters: InboxFilters): URLSearchParams {
  const search = new URLSearchParams();
  if (filters.query) search.set('query', filters.query);
  if (filters.flow_id) search.set('flow_id', filters.flow_id);
  if (filters.status) search.set('status', filters.status);
  if (filters.from) search.set('from', filters.from);
  if (filters.to) search.set('to', filters.to);
  if (filters.overdue) search.set('overdue', 'true');
  if (filters.sort === 'oldest') search.set('sort', 'oldest');
  if (filters.page > 1) search.set('page', String(filters.page));
  return search;
}

/** A change of any filter starts again at page 1; a change of page keeps the filters. */
export function withFilters(filters: InboxFilters, patch: Partial<InboxFilters>): InboxFilters {
  return { ...filters, ...patch, page: patch.page ?? 1 };
}

/** What `GET /api/v1/inbox/:tab` is asked (the page itself goes by token, not number). */
export function filtersToApiQuery(filters: InboxFilters, tab: InboxTab): Record<string, string> {
  const query: Record<string, string> = { sort: filters.sort, page_size: String(PAGE_SIZE) };
  if (filters.query) query.query = filters.query;
  if (filters.flow_id) query.flow_id = filters.flow_id;
  // The to-do tab holds in-progress processes only: a status filter there means nothing.
  if (filters.status && tab !== 'todo') query.status = filters.status;
  if (filters.from) query.from = filters.from;
  if (filters.to) query.to = filters.to;
  if (filters.overdue && tab === 'todo') query.overdue = 'true';
  return query;
}

/** Whether anything narrows the list (the empty state then says "nothing matches" instead). */
export function hasActiveFilters(filters: InboxFilters): boolean {
  return Boolean(
    filters.query || filters.flow_id || filters.status || filters.from || filters.to || filters.overdue,
  );
}

/**
 * Page tokens as pages are read: the token for page n is the `page_token` page n−1 returned.
 * The API pages by opaque token, the URL by number; this connects the two.
 */
export class PageTokens {
  /** page → the token of the page after it; null: that page was the last. */
  private readonly next = new Map<number, string | null>();

  /** The token that fetches `page`: undefined for page 1, null while not known. */
  tokenFor(page: number): string | undefined | null {
    if (page <= 1) return undefined;
    const token = this.next.get(page - 1);
    return typeof token === 'string' ? token : null;
  }

  /** Page `page` came back with this `page_token` (undefined: it was the last page). */
  record(page: number, next: string | undefined): void {
    this.next.set(page, next ?? null);
  }

  /** The highest page that can be fetched now; walk on from there to reach a deeper one. */
  highestReachable(): number {
    let page = 1;
    while (typeof this.next.get(page) === 'string') page++;
    return page;
  }

  /** The last page, once it has been read. */
  lastPage(): number | undefined {
    for (const [page, token] of this.next) if (token === null) return page;
    return undefined;
  }
}
