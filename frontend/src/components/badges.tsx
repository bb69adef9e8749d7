import { PRIORITY_LABELS, STATUS_LABELS } from '@/lib/format';
import type { TicketPriority, TicketStatus } from '@/types/api';

export function StatusBadge({ status }: { status: TicketStatus }) {
  return <span class={`badge badge--status-${status}`}>{STATUS_LABELS[status] ?? status}</span>;
}

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  return (
    <span class={`badge badge--priority-${priority}`}>
      <span class="badge__dot" aria-hidden="true" />
      {PRIORITY_LABELS[priority] ?? priority}
    </span>
  );
}
