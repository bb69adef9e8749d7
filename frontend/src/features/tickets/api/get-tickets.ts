import { useInfiniteQuery } from '@tanstack/preact-query';
import { useEffect, useState } from 'preact/hooks';
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

/**
 * Whether to ask for the next page without being asked: fewer rows are loaded than were asked for
 * and the last page has a cursor. A filter the server answers partly by filtering stops each page
 * at a budget of items read, so a page may come back short (even empty) but with a cursor.
 */
export function needsMore(pages: readonly Page<Ticket>[] | undefined, rowsWanted: number): boolean {
  if (!pages?.length) return false;
  const loaded = pages.reduce((count, page) => count + page.items.length, 0);
  return Boolean(pages[pages.length - 1].next_cursor) && loaded < rowsWanted;
}

/**
 * The ticket list for some filters, page by page along the API's cursor. `loadMore` asks for
 * another page's worth of rows; short pages are followed until that many are shown or the list ends.
 */
export function useTicketList(filters: TicketFilters) {
  const search = filtersToSearch(filters);
  const [wanted, setWanted] = useState({ search, rows: TICKET_PAGE_SIZE });
  const rowsWanted = wanted.search === search ? wanted.rows : TICKET_PAGE_SIZE;
  const query = useInfiniteQuery({
    queryKey: queryKeys.ticketList(search),
    queryFn: ({ pageParam, signal }) => fetchTicketPage(filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
  const pages = query.data?.pages;
  const filling = needsMore(pages, rowsWanted);
  const { isFetching, isFetchNextPageError, fetchNextPage } = query;
  // on every page that arrives (its count, not only "still filling", changes the dependencies)
  useEffect(() => {
    if (filling && !isFetching && !isFetchNextPageError) void fetchNextPage();
  }, [filling, pages?.length, isFetching, isFetchNextPageError, fetchNextPage]);
  const loadMore = () => {
    const loaded = pages?.reduce((count, page) => count + page.items.length, 0) ?? 0;
    setWanted({ search, rows: loaded + TICKET_PAGE_SIZE });
    return fetchNextPage();
  };
  return { query, loadMore, filling };
}
