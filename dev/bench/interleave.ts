// The order of the systems in each iteration of a side-by-side loop.

/** `items` started at position `by` (wrapping): each item goes first in turn, so load drift hits all alike. */
export function rotated<T>(items: readonly T[], by: number): T[] {
  const start = items.length ? by % items.length : 0;
  return [...items.slice(start), ...items.slice(0, start)];
}
