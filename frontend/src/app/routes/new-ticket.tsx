import { useLocation } from 'preact-iso';
import { NewTicketForm } from '@/features/tickets/components/new-ticket-form';
import { useDocumentTitle } from '@/lib/document-title';

export function NewTicketPage() {
  const { route } = useLocation();
  useDocumentTitle('New ticket');
  return (
    <div class="page page--narrow">
      <h1>New ticket</h1>
      <NewTicketForm onCreated={(id) => route(`/tickets/${encodeURIComponent(id)}`)} />
    </div>
  );
}
