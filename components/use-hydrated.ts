import { useSyncExternalStore } from 'react';

const subscribeToNothing = () => () => undefined;

/**
 * False in the server-rendered HTML and until React has hydrated it: what the page does before
 * its handlers are there (a form posts itself, a countdown is not shown yet).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}
