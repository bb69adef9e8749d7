import { useLocation, useRoute } from 'preact-iso';
import { TicketActions } from '@/features/macros/components/ticket-actions';
import { RequesterTickets } from '@/features/contacts/components/requester-tickets';
import { useTicket } from '@/features/ticket-detail/api/ticket';
import { TicketView } from '@/features/ticket-detail/components/ticket-view';
import { useShortcut } from '@/lib/shortcuts';

export function TicketPage() {
  const { params } = useRoute();
  const { route } = useLocation();
  const ticket = useTicket(params.id);
  useShortcut('u', () => (history.length > 1 ? history.back() : route('/')));
  return (
    <div class="page">
      <p class="breadcrumb">
        <a href="/">← All tickets</a>
      </p>
      <TicketView
        ticketId={params.id}
        actions={(ticket, changed) => <TicketActions ticket={ticket} onApplied={changed} />}
      />
      <RequesterTickets email={ticket.data?.ticket.requester.email} ticketId={params.id} />
    </div>
  );
}
