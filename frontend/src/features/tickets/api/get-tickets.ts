import { useInfiniteQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { filtersToQuery, filtersToSearch, type TicketFilters } from '@/lib/ticket-filters';
import type { Page, Ticket } from '@/types/api';

export const TICKET_PAGE_SIZE = 50;

export function fetchTicketPage(
  filters: TicketFilters,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<Page<Ticket>> {
  return api.get<Page<Ticket>>('/tickets', {
    query: { ...filtersToQuery(filters), limit: TICKET_PAGE_SIZE, cursor },
    signal,
  });
}

/** The ticket list for some filters, page by page along the API's cursor. */
export function useTicketList(filters: TicketFilters) {
  return useInfiniteQuery({
    queryKey: queryKeys.ticketList(filtersToSearch(filters)),
    queryFn: ({ pageParam, signal }) => fetchTicketPage(filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
}
