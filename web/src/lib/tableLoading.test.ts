import { describe, expect, it } from 'vitest';
import { tableLoading } from './tableLoading';

describe('tableLoading', () => {
  it('blocks the table on the first load', () => {
    expect(tableLoading({ isPending: true, isFetching: true, isPlaceholderData: false })).toEqual({
      loading: true,
      refreshing: false,
    });
  });

  it('blocks the table while a new filter or page loads over the previous rows', () => {
    expect(tableLoading({ isPending: false, isFetching: true, isPlaceholderData: true })).toEqual({
      loading: true,
      refreshing: false,
    });
  });

  it('only hints at a background refetch of the rows shown', () => {
    expect(tableLoading({ isPending: false, isFetching: true, isPlaceholderData: false })).toEqual({
      loading: false,
      refreshing: true,
    });
  });

  it('is quiet when the rows are fresh', () => {
    expect(tableLoading({ isPending: false, isFetching: false, isPlaceholderData: false })).toEqual({
      loading: false,
      refreshing: false,
    });
  });
});
