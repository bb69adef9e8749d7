import { useQueryClient } from '@tanstack/preact-query';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { markTicketChanged } from '@/lib/highlights';
import { type LiveEvent, useLiveEvents, useLiveSocket } from '@/lib/live-socket';
import { applyLiveEvent, latestCachedUpdate } from '../api/apply-live-event';
import { catchUp } from '../api/catch-up';

const ANNOUNCE_AFTER_MS = 1000;

/** Collects announcements for a second so a burst of changes is read out once, politely. */
function useBatchedAnnouncer(): [string, (message: string) => void] {
  const [spoken, setSpoken] = useState('');
  const pending = useRef<string[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  const announce = useCallback((message: string) => {
    pending.current.push(message);
    if (timer.current) return;
    timer.current = setTimeout(() => {
      const messages = pending.current;
      pending.current = [];
      timer.current = undefined;
      setSpoken(messages.length === 1 ? messages[0] : `${messages.length} tickets changed`);
    }, ANNOUNCE_AFTER_MS);
  }, []);
  return [spoken, announce];
}

/** Applies live events to the caches, catches up after reconnecting, and announces changes. */
export function LiveUpdates({ currentUserId }: { currentUserId: string | null }) {
  const socket = useLiveSocket();
  const queryClient = useQueryClient();
  const [spoken, announce] = useBatchedAnnouncer();
  const lastSeen = useRef<string | null>(null);

  useLiveEvents(
    useCallback(
      (event: LiveEvent) => {
        const updatedAt = (event.ticket as { updated_at?: string } | undefined)?.updated_at;
        if (updatedAt && (!lastSeen.current || updatedAt > lastSeen.current)) lastSeen.current = updatedAt;
        const applied = applyLiveEvent(queryClient, event, currentUserId);
        if (!applied) return;
        markTicketChanged(applied.ticketId);
        announce(applied.announcement);
      },
      [queryClient, currentUserId, announce],
    ),
  );

  useEffect(
    () =>
      socket?.onReconnect(() => {
        const cached = latestCachedUpdate(queryClient);
        const since = [lastSeen.current, cached].filter(Boolean).sort().pop() ?? null;
        catchUp(queryClient, since, currentUserId)
          .then((ids) => ids.forEach((id) => markTicketChanged(id)))
          .catch(() => void queryClient.invalidateQueries({ queryKey: ['tickets'] }));
      }),
    [socket, queryClient, currentUserId],
  );

  return (
    <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
      {spoken}
    </div>
  );
}
