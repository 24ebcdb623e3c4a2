import { useSyncExternalStore } from 'react';

const subscribeToNothing = () => () => undefined;

/**
 * False in the server-rendered HTML and until React has hydrated it. Buttons that need their
 * handler stay disabled until then, so an early tap is neither lost nor submitted natively.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}
