import { PriorityBadge, StatusBadge } from '@/components/badges';
import { SlaBadge } from '@/components/sla-badge';
import { formatDateTime, formatRelative } from '@/lib/format';
import { useRecentlyChanged } from '@/lib/highlights';
import type { Ticket } from '@/types/api';

interface RowSelection {
  selected: boolean;
  /** `range`: shift was held, so every row since the last one toggled follows. */
  onToggle: (range: boolean) => void;
}

interface TicketItemProps {
  ticket: Ticket;
  assigneeName: string;
  selection?: RowSelection;
}

function SelectBox({ ticket, selection }: { ticket: Ticket; selection: RowSelection }) {
  return (
    <input
      type="checkbox"
      class="row-check"
      aria-label={`Select ticket #${ticket.number}`}
      checked={selection.selected}
      // click, not change: only the click knows whether shift was held
      onClick={(e) => selection.onToggle(e.shiftKey)}
      onKeyDown={(e) => {
        if (e.key === ' ' && e.shiftKey) {
          e.preventDefault();
          selection.onToggle(true);
        }
      }}
    />
  );
}

export function ticketHref(ticket: Pick<Ticket, 'id'>): string {
  return `/tickets/${encodeURIComponent(ticket.id)}`;
}

/** One table row; glows briefly when the ticket changed live. */
export function TicketRow({ ticket, assigneeName, selection }: TicketItemProps) {
  const changed = useRecentlyChanged(ticket.id);
  const classes = [changed && 'flash', selection?.selected && 'row--selected'].filter(Boolean).join(' ');
  return (
    <tr class={classes || undefined} data-ticket-id={ticket.id}>
      {selection && (
        <td class="cell--check">
          <SelectBox ticket={ticket} selection={selection} />
        </td>
      )}
      <td class="cell--number">#{ticket.number}</td>
      <td class="cell--subject">
        <a href={ticketHref(ticket)} data-ticket-link>
          {ticket.subject}
        </a>
        <span class="cell__sub">{ticket.requester.name || ticket.requester.email}</span>
      </td>
      <td>
        <StatusBadge status={ticket.status} />
      </td>
      <td>
        <PriorityBadge priority={ticket.priority} />
      </td>
      <td>{assigneeName}</td>
      <td>{ticket.queue ?? '—'}</td>
      <td>
        <SlaBadge ticket={ticket} />
      </td>
      <td>
        <time dateTime={ticket.updated_at} title={formatDateTime(ticket.updated_at)}>
          {formatRelative(ticket.updated_at)}
        </time>
      </td>
    </tr>
  );
}

/** One card for narrow screens. */
export function TicketCard({ ticket, assigneeName, selection }: TicketItemProps) {
  const changed = useRecentlyChanged(ticket.id);
  return (
    <li
      class={`ticket-card${changed ? ' flash' : ''}${selection?.selected ? ' row--selected' : ''}`}
      data-ticket-id={ticket.id}
    >
      <div class="ticket-card__top">
        <span class="ticket-card__number">
          {selection && <SelectBox ticket={ticket} selection={selection} />}#{ticket.number}
        </span>
        <time dateTime={ticket.updated_at}>{formatRelative(ticket.updated_at)}</time>
      </div>
      <a class="ticket-card__subject" href={ticketHref(ticket)} data-ticket-link>
        {ticket.subject}
      </a>
      <p class="ticket-card__meta">{ticket.requester.name || ticket.requester.email}</p>
      <div class="ticket-card__badges">
        <StatusBadge status={ticket.status} />
        <PriorityBadge priority={ticket.priority} />
        <SlaBadge ticket={ticket} />
        <span class="ticket-card__assignee">{assigneeName}</span>
      </div>
    </li>
  );
}
