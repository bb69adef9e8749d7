import { QueueSettings } from '@/features/queues/components/queue-settings';
import { useDocumentTitle } from '@/lib/document-title';

export function QueuesPage() {
  useDocumentTitle('Queues');
  return (
    <div class="page stack">
      <h1>Queues</h1>
      <p class="muted">
        A queue groups tickets for the people who work them. Filters and ticket fields suggest the queues defined here.
      </p>
      <QueueSettings />
    </div>
  );
}
