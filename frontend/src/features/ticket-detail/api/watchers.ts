import { useMutation, useQueryClient } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { TicketWithComments, Watchers } from '@/types/api';

/** `me` or a user id; the server answers the watchers as they now are. Needs `tickets.write`. */
export function watchTicket(ticketId: string, userId: string): Promise<Watchers> {
  return api.put<Watchers>(watcherPath(ticketId, userId));
}

export function unwatchTicket(ticketId: string, userId: string): Promise<Watchers> {
  return api.delete<Watchers>(watcherPath(ticketId, userId));
}

function watcherPath(ticketId: string, userId: string): string {
  return `/tickets/${encodeURIComponent(ticketId)}/watchers/${encodeURIComponent(userId)}`;
}

export interface WatcherChange {
  userId: string;
  watching: boolean;
}

/** Adds or removes a watcher and keeps the ticket page's cached watchers in step with the answer. */
export function useChangeWatcher(ticketId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, watching }: WatcherChange) =>
      watching ? watchTicket(ticketId, userId) : unwatchTicket(ticketId, userId),
    onSuccess: ({ watchers }) => {
      queryClient.setQueryData<TicketWithComments>(queryKeys.ticket(ticketId), (old) =>
        old ? { ...old, watchers } : old,
      );
      // The change is recorded in the ticket's history.
      void queryClient.invalidateQueries({ queryKey: queryKeys.ticketHistory(ticketId) });
    },
  });
}
