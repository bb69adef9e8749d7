import { useEffect, useState } from 'preact/hooks';

/** Tickets that changed live a moment ago, so their row can glow briefly. */
const HIGHLIGHT_MS = 2500;
const changedAt = new Map<string, number>();
const listeners = new Set<() => void>();

export function markTicketChanged(ticketId: string, now = Date.now()): void {
  changedAt.set(ticketId, now);
  listeners.forEach((listener) => listener());
  setTimeout(() => {
    if (changedAt.get(ticketId) === now) {
      changedAt.delete(ticketId);
      listeners.forEach((listener) => listener());
    }
  }, HIGHLIGHT_MS);
}

export function useRecentlyChanged(ticketId: string): boolean {
  const [changed, setChanged] = useState(() => changedAt.has(ticketId));
  useEffect(() => {
    const update = () => setChanged(changedAt.has(ticketId));
    listeners.add(update);
    update();
    return () => {
      listeners.delete(update);
    };
  }, [ticketId]);
  return changed;
}
