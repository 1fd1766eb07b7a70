/** The parts of a TanStack Query result that say what it is loading. */
export interface QueryLoadState {
  isPending: boolean;
  isFetching: boolean;
  isPlaceholderData: boolean;
}

export interface TableLoading {
  /** Block the table (spinner over greyed rows): nothing to show yet, or the rows shown answer another query. */
  loading: boolean;
  /** The rows shown are right and a fresher copy is on its way (focus, live update, polling): a quiet hint at most. */
  refreshing: boolean;
}

/**
 * A table greys out only while what it shows is not the answer to what the person asked for: the first
 * load, or a new filter or page shown over the previous one's rows (`keepPreviousData`). A refetch of
 * the same query in the background keeps the rows readable and clickable.
 */
export function tableLoading(query: QueryLoadState): TableLoading {
  const loading = query.isPending || query.isPlaceholderData;
  return { loading, refreshing: !loading && query.isFetching };
}
