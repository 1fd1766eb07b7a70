import { describe, expect, it } from 'vitest';
import { tableLoading } from './tableLoading';

describe('tableLoading', () => {
  it.each([
    ['blocks the table on the first load', [true, true, false], { loading: true, refreshing: false }],
    [
      'blocks the table while a new filter or page loads over the previous rows',
      [false, true, true],
      { loading: true, refreshing: false },
    ],
    [
      'only hints at a background refetch of the rows shown',
      [false, true, false],
      { loading: false, refreshing: true },
    ],
    ['is quiet when the rows are fresh', [false, false, false], { loading: false, refreshing: false }],
  ] as const)('%s', (_, [isPending, isFetching, isPlaceholderData], expected) => {
    expect(tableLoading({ isPending, isFetching, isPlaceholderData })).toEqual(expected);
  });
});
