import { useQueryClient } from '@tanstack/preact-query';
import { useRef, useState } from 'preact/hooks';
import type { AssigneeChoice } from '@/components/assignee-picker';
import { Empty, ErrorMessage, Loading } from '@/components/status';
import type { BulkResult } from '@/lib/desk-api';
import { queryKeys } from '@/lib/query-keys';
import { PHONE_QUERY, useMediaQuery } from '@/lib/media';
import { useShortcut } from '@/lib/shortcuts';
import { activeFilterCount, type TicketFilters } from '@/lib/ticket-filters';
import type { Ticket } from '@/types/api';
import { useTicketList } from '../api/get-tickets';
import { BulkBar, describeBulkResult } from './bulk-bar';
import { useSelection } from './selection';
import { TicketCard, TicketRow } from './ticket-row';

interface TicketListProps {
  filters: TicketFilters;
  userNames: Map<string, string>;
  /** Rows can be selected and changed together (whoever may edit tickets). */
  selectable?: boolean;
  assignees?: AssigneeChoice[];
  queueSuggestions?: string[];
  tagSuggestions?: string[];
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

/** `x` selects or unselects the row whose link has focus (after j / k). */
function useSelectShortcut(container: { current: HTMLElement | null }, toggle: (id: string) => void, on: boolean) {
  useShortcut(
    'x',
    () => {
      const link = document.activeElement as HTMLElement | null;
      const id = link?.closest<HTMLElement>('[data-ticket-id]')?.dataset.ticketId;
      if (id && container.current?.contains(link)) toggle(id);
    },
    on,
  );
}

export function TicketList({
  filters,
  userNames,
  selectable = false,
  assignees = [],
  queueSuggestions = [],
  tagSuggestions = [],
}: TicketListProps) {
  const { query, loadMore, filling } = useTicketList(filters);
  const phone = useMediaQuery(PHONE_QUERY);
  const container = useRef<HTMLDivElement>(null);
  const queryClient = useQueryClient();
  const loaded = query.data?.pages.flatMap((page) => page.items) ?? [];
  const selection = useSelection(loaded.map((t) => t.id));
  const [summary, setSummary] = useState<string[]>([]);
  useListNavigation(container);
  useSelectShortcut(container, (id) => selection.toggle(id), selectable);

  const bulkDone = (result: BulkResult, changed: Ticket[]) => {
    setSummary(describeBulkResult(result, changed));
    // What did not apply stays selected, to review and try again.
    selection.setOnly(result.results.filter((r) => r.outcome === 'conflict' || r.outcome === 'error').map((r) => r.id));
    void queryClient.invalidateQueries({ queryKey: queryKeys.ticketLists });
  };

  if (query.isPending) return <Loading label="Loading tickets…" />;
  // A failed "Load more" keeps the pages already shown; only a failed first page replaces them.
  if (!query.data) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;

  const tickets = loaded;
  // an empty page with a cursor: the server stopped at its read budget, the next pages follow
  if (tickets.length === 0 && filling) return <Loading label="Loading tickets…" />;
  if (tickets.length === 0) {
    return (
      <Empty title={activeFilterCount(filters) ? 'No tickets match these filters.' : 'No tickets yet.'}>
        {activeFilterCount(filters) > 0 ? (
          <p>Try removing a filter or searching for something else.</p>
        ) : (
          <p>
            Tickets arrive when customers email your support address (<a href="/settings/email">see it</a>) or write
            through the portal. You can also <a href="/tickets/new">create a ticket</a> yourself.
          </p>
        )}
      </Empty>
    );
  }

  const chosen = tickets.filter((t) => selection.selected.has(t.id));
  const rowSelection = (ticket: Ticket) =>
    selectable
      ? {
          selected: selection.selected.has(ticket.id),
          onToggle: (range: boolean) => selection.toggle(ticket.id, range),
        }
      : undefined;

  return (
    <div ref={container} class="ticket-list">
      <div role="status" class="bulk-summary">
        {summary.map((line) => (
          <p key={line}>{line}</p>
        ))}
      </div>
      {selectable && chosen.length > 0 && (
        <BulkBar
          tickets={chosen}
          assignees={assignees}
          queueSuggestions={queueSuggestions}
          tagSuggestions={tagSuggestions}
          onClear={selection.clear}
          onDone={(result) => bulkDone(result, chosen)}
        />
      )}
      {selectable && (
        <label class="check select-all">
          <input
            type="checkbox"
            checked={selection.allSelected}
            onChange={(e) => selection.setAll(e.currentTarget.checked)}
          />
          Select all {tickets.length} shown
        </label>
      )}
      {phone ? (
        <ul class="ticket-cards" aria-label="Tickets">
          {tickets.map((ticket) => (
            <TicketCard
              key={ticket.id}
              ticket={ticket}
              assigneeName={assigneeLabel(ticket, userNames)}
              selection={rowSelection(ticket)}
            />
          ))}
        </ul>
      ) : (
        <table class="ticket-table">
          <caption class="visually-hidden">Tickets, {tickets.length} shown</caption>
          <thead>
            <tr>
              {selectable && (
                <th scope="col">
                  <span class="visually-hidden">Selected</span>
                </th>
              )}
              <th scope="col">#</th>
              <th scope="col">Subject</th>
              <th scope="col">Status</th>
              <th scope="col">Priority</th>
              <th scope="col">Assignee</th>
              <th scope="col">Queue</th>
              <th scope="col">SLA</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {tickets.map((ticket) => (
              <TicketRow
                key={ticket.id}
                ticket={ticket}
                assigneeName={assigneeLabel(ticket, userNames)}
                selection={rowSelection(ticket)}
              />
            ))}
          </tbody>
        </table>
      )}
      <div class="ticket-list__footer">
        <p class="muted">
          {tickets.length} ticket{tickets.length === 1 ? '' : 's'} shown
        </p>
        {query.hasNextPage && (
          <button type="button" class="button" onClick={() => void loadMore()} disabled={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? 'Loading more…' : 'Load more'}
          </button>
        )}
        {query.isFetchNextPageError && <ErrorMessage error={query.error} onRetry={() => void loadMore()} />}
      </div>
    </div>
  );
}
