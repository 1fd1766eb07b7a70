import type { ProcessStatus } from '@contract';

/** The search's filters as the URL keeps them (every value a string; '' = not set). */
export interface MonitorFilters {
  status: ProcessStatus[];
  flow: string;
  initiator: string;
  department: string;
  node: string;
  /** Waiting longer than this many days ('' = any). */
  waiting: string;
  from: string;
  to: string;
  sort: 'newest' | 'waiting';
  page: number;
}

export const MONITOR_STATUSES: readonly ProcessStatus[] = [
  'in_progress',
  'completed',
  'rejected',
  'withdrawn',
  'revoked',
  'revoking',
];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Filters from the page's URL; anything malformed is left out rather than sent to be refused. */
export function filtersFromUrl(params: URLSearchParams): MonitorFilters {
  const statuses = (params.get('status') ?? '')
    .split(',')
    .filter((s): s is ProcessStatus => (MONITOR_STATUSES as readonly string[]).includes(s));
  const waiting = params.get('waiting') ?? '';
  const page = Number(params.get('page') ?? '1');
  const date = (key: string) => {
    const value = params.get(key) ?? '';
    return DATE.test(value) ? value : '';
  };
  return {
    status: [...new Set(statuses)],
    flow: /^\d{1,19}$/.test(params.get('flow') ?? '') ? (params.get('flow') ?? '') : '',
    initiator: (params.get('initiator') ?? '').slice(0, 64),
    department: (params.get('department') ?? '').slice(0, 64),
    node: (params.get('node') ?? '').slice(0, 64),
    waiting: /^\d{1,4}$/.test(waiting) ? waiting : '',
    from: date('from'),
    to: date('to'),
    sort: params.get('sort') === 'waiting' ? 'waiting' : 'newest',
    page: Number.isInteger(page) && page >= 1 && page <= 1000 ? page : 1,
  };
}

/** The URL's search part for these filters (defaults left out). */
export function filtersToUrl(filters: MonitorFilters): URLSearchParams {
  const out = new URLSearchParams();
  if (filters.status.length > 0) out.set('status', filters.status.join(','));
  for (const key of ['flow', 'initiator', 'department', 'node', 'waiting', 'from', 'to'] as const)
    if (filters[key] !== '') out.set(key, filters[key]);
  if (filters.sort !== 'newest') out.set('sort', filters.sort);
  if (filters.page > 1) out.set('page', String(filters.page));
  return out;
}

/** The API's query for these filters (GET /api/v1/admin/processes and .csv); no paging. */
export function filtersToApiQuery(filters: MonitorFilters): URLSearchParams {
  const out = new URLSearchParams();
  for (const status of filters.status) out.append('status', status);
  const pairs: [string, string][] = [
    ['flow_id', filters.flow],
    ['initiator_user_id', filters.initiator],
    ['department_id', filters.department],
    ['current_node_id', filters.node],
    ['waiting_days', filters.waiting],
    ['started_from', filters.from],
    ['started_to', filters.to],
  ];
  for (const [key, value] of pairs) if (value !== '') out.set(key, value);
  if (filters.sort !== 'newest') out.set('sort', filters.sort);
  return out;
}

/** A change of any filter starts again at page 1. */
export function withFilters(filters: MonitorFilters, patch: Partial<MonitorFilters>): MonitorFilters {
  return { ...filters, ...patch, page: patch.page ?? 1 };
}
