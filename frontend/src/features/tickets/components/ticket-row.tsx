import { PriorityBadge, StatusBadge } from '@/components/badges';
import { formatDateTime, formatRelative } from '@/lib/format';
import { useRecentlyChanged } from '@/lib/highlights';
import type { Ticket } from '@/types/api';

interface TicketItemProps {
  ticket: Ticket;
  assigneeName: string;
}

export function ticketHref(ticket: Pick<Ticket, 'id'>): string {
  return `/tickets/${encodeURIComponent(ticket.id)}`;
}

/** One table row; glows briefly when the ticket changed live. */
export function TicketRow({ ticket, assigneeName }: TicketItemProps) {
  const changed = useRecentlyChanged(ticket.id);
  return (
    <tr class={changed ? 'flash' : undefined}>
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
        <time dateTime={ticket.updated_at} title={formatDateTime(ticket.updated_at)}>
          {formatRelative(ticket.updated_at)}
        </time>
      </td>
    </tr>
  );
}

/** One card for narrow screens. */
export function TicketCard({ ticket, assigneeName }: TicketItemProps) {
  const changed = useRecentlyChanged(ticket.id);
  return (
    <li class={`ticket-card${changed ? ' flash' : ''}`}>
      <div class="ticket-card__top">
        <span class="ticket-card__number">#{ticket.number}</span>
        <time dateTime={ticket.updated_at}>{formatRelative(ticket.updated_at)}</time>
      </div>
      <a class="ticket-card__subject" href={ticketHref(ticket)} data-ticket-link>
        {ticket.subject}
      </a>
      <p class="ticket-card__meta">{ticket.requester.name || ticket.requester.email}</p>
      <div class="ticket-card__badges">
        <StatusBadge status={ticket.status} />
        <PriorityBadge priority={ticket.priority} />
        <span class="ticket-card__assignee">{assigneeName}</span>
      </div>
    </li>
  );
}
