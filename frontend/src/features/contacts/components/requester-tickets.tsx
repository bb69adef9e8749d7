import { StatusBadge } from '@/components/badges';
import { formatDateTime } from '@/lib/format';
import { useRequesterContact } from '../api/contacts';

/** Beside a ticket: who the requester is, and their other tickets (newest activity first). */
export function RequesterTickets({ email, ticketId }: { email: string | undefined; ticketId: string }) {
  const contact = useRequesterContact(email);
  if (!contact.data) return null;
  const { contact: person, tickets } = contact.data;
  const others = tickets.filter((t) => t.id !== ticketId);
  return (
    <section class="panel requester-tickets" aria-labelledby="requester-tickets">
      <h2 id="requester-tickets" class="panel__title">
        {person.name} <span class="muted small">{person.organisation ?? person.email}</span>
      </h2>
      <p class="muted small">
        {person.ticket_count} {person.ticket_count === 1 ? 'ticket' : 'tickets'} · last seen{' '}
        {formatDateTime(person.last_seen_at)}
      </p>
      {others.length === 0 ? (
        <p class="muted">No other tickets.</p>
      ) : (
        <ul class="requester-tickets__list">
          {others.map((t) => (
            <li key={t.id}>
              <a href={`/tickets/${t.id}`}>
                #{t.number} {t.subject}
              </a>{' '}
              <StatusBadge status={t.status} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
