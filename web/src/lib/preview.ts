/**
 * Whether the path preview on screen answers the values as they are now. It does not while the
 * debounce still holds newer values back (`settled` is older than `typed`), nor while TanStack Query
 * shows the previous values' answer as placeholder data until the new one arrives. Only a current
 * answer may say "N values are not complete yet": an older one speaks of values since changed.
 */
export function previewIsCurrent(typed: unknown, settled: unknown, isPlaceholderData: boolean): boolean {
  return !isPlaceholderData && (typed === settled || JSON.stringify(typed) === JSON.stringify(settled));
}
