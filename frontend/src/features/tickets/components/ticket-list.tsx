import { useRef } from 'preact/hooks';
import { Empty, ErrorMessage, Loading } from '@/components/status';
import { PHONE_QUERY, useMediaQuery } from '@/lib/media';
import { useShortcut } from '@/lib/shortcuts';
import { activeFilterCount, type TicketFilters } from '@/lib/ticket-filters';
import type { Ticket } from '@/types/api';
import { useTicketList } from '../api/get-tickets';
import { TicketCard, TicketRow } from './ticket-row';

interface TicketListProps {
  filters: TicketFilters;
  userNames: Map<string, string>;
}

function assigneeLabel(ticket: Ticket, userNames: Map<string, string>): string {
  if (!ticket.assignee_id) return 'Unassigned';
  return userNames.get(ticket.assignee_id) ?? 'Someone';
}

/** Moves focus between ticket links with j / k; Enter then opens the focused link as any link does. */
function useListNavigation(container: { current: HTMLElement | null }) {
  const move = (step: number) => {
    const links = [...(container.current?.querySelectorAll<HTMLAnchorElement>('[data-ticket-link]') ?? [])];
    if (!links.length) return;
    const current = links.indexOf(document.activeElement as HTMLAnchorElement);
    const next =
      current === -1 ? (step > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, current + step));
    links[next].focus();
    links[next].scrollIntoView?.({ block: 'nearest' });
  };
  useShortcut('j', () => move(1));
  useShortcut('k', () => move(-1));
}

export function TicketList({ filters, userNames }: TicketListProps) {
  const query = useTicketList(filters);
  const phone = useMediaQuery(PHONE_QUERY);
  const container = useRef<HTMLDivElement>(null);
  useListNavigation(container);

  if (query.isPending) return <Loading label="Loading tickets…" />;
  // A failed "Load more" keeps the pages already shown; only a failed first page replaces them.
  if (!query.data) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;

  const tickets = query.data.pages.flatMap((page) => page.items);
  if (tickets.length === 0) {
    return (
      <Empty title={activeFilterCount(filters) ? 'No tickets match these filters.' : 'No tickets yet.'}>
        {activeFilterCount(filters) > 0 && <p>Try removing a filter or searching for something else.</p>}
      </Empty>
    );
  }

  return (
    <div ref={container} class="ticket-list">
      {phone ? (
        <ul class="ticket-cards" aria-label="Tickets">
          {tickets.map((ticket) => (
            <TicketCard key={ticket.id} ticket={ticket} assigneeName={assigneeLabel(ticket, userNames)} />
          ))}
        </ul>
      ) : (
        <table class="ticket-table">
          <caption class="visually-hidden">Tickets, {tickets.length} shown</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Subject</th>
              <th scope="col">Status</th>
              <th scope="col">Priority</th>
              <th scope="col">Assignee</th>
              <th scope="col">Queue</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {tickets.map((ticket) => (
              <TicketRow key={ticket.id} ticket={ticket} assigneeName={assigneeLabel(ticket, userNames)} />
            ))}
          </tbody>
        </table>
      )}
      <div class="ticket-list__footer">
        <p class="muted">
          {tickets.length} ticket{tickets.length === 1 ? '' : 's'} shown
        </p>
        {query.hasNextPage && (
          <button
            type="button"
            class="button"
            onClick={() => void query.fetchNextPage()}
            disabled={query.isFetchingNextPage}
          >
            {query.isFetchingNextPage ? 'Loading more…' : 'Load more'}
          </button>
        )}
        {query.isFetchNextPageError && <ErrorMessage error={query.error} onRetry={() => void query.fetchNextPage()} />}
      </div>
    </div>
  );
}
