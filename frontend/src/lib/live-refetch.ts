import { type QueryKey, useQueryClient } from '@tanstack/preact-query';
import { useCallback, useEffect, useRef } from 'preact/hooks';
import { type LiveEvent, useLiveEvents } from './live-socket';

export const isTicketEvent = (event: LiveEvent): boolean => event.type.startsWith('ticket.');

/**
 * Refetches a query a little after live events that change what it shows. A burst of events
 * (a bulk import, a busy minute) coalesces into one refetch, at most `delayMs` after the first.
 */
export function useRefetchOnLiveEvents(
  queryKey: QueryKey,
  {
    delayMs = 1000,
    enabled = true,
    matches = isTicketEvent,
  }: {
    delayMs?: number;
    enabled?: boolean;
    matches?: (event: LiveEvent) => boolean;
  } = {},
): void {
  const queryClient = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const key = JSON.stringify(queryKey);
  useEffect(() => () => clearTimeout(timer.current), []);
  useLiveEvents(
    useCallback(
      (event: LiveEvent) => {
        if (!enabled || !matches(event) || timer.current) return;
        timer.current = setTimeout(() => {
          timer.current = undefined;
          void queryClient.invalidateQueries({ queryKey: JSON.parse(key) as QueryKey });
        }, delayMs);
      },
      [enabled, matches, key, delayMs, queryClient],
    ),
  );
}
