import type { QueryClient } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Page, Ticket } from '@/types/api';
import { applyTicket } from './apply-live-event';

const MAX_PAGES = 5;

export type FetchChanges = (since: string, cursor: string | undefined) => Promise<Page<Ticket>>;

const fetchChanges: FetchChanges = (since, cursor) =>
  api.get<Page<Ticket>>('/tickets', { query: { updated_after: since, sort: '-updated_at', limit: 100, cursor } });

/**
 * After a reconnect: fetch every ticket changed since the last one seen and merge it like a live
 * event. Too many changes (or no starting point) and the lists are simply refetched.
 * Returns the ids of the tickets that changed in the caches.
 */
export async function catchUp(
  queryClient: QueryClient,
  since: string | null,
  currentUserId: string | null,
  fetchPage: FetchChanges = fetchChanges,
): Promise<string[]> {
  // Comments missed meanwhile are not in the ticket summaries: refetch the open ticket pages.
  void queryClient.invalidateQueries({ queryKey: ['ticket'] });
  if (!since) {
    await queryClient.invalidateQueries({ queryKey: queryKeys.ticketLists });
    return [];
  }
  const changed: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await fetchPage(since, cursor);
    for (const ticket of result.items) {
      if (applyTicket(queryClient, ticket, currentUserId)) changed.push(ticket.id);
    }
    cursor = result.next_cursor ?? undefined;
    if (!cursor) return changed;
  }
  await queryClient.invalidateQueries({ queryKey: queryKeys.ticketLists });
  return changed;
}
