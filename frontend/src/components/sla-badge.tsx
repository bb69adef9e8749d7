import { formatDateTime } from '@/lib/format';
import type { Ticket } from '@/types/api';
import { readSla, useMinuteClock } from '@/lib/sla-clock';

interface SlaBadgeProps {
  ticket: Pick<Ticket, 'sla_due_at' | 'created_at' | 'sla'>;
}

/** Time left on the nearest SLA deadline, coloured by state, re-read every minute. */
export function SlaBadge({ ticket }: SlaBadgeProps) {
  const now = useMinuteClock();
  const reading = readSla(ticket, now);
  if (!reading) return <span class="muted">—</span>;
  return (
    <span
      class={`sla-badge sla-badge--${reading.tone}`}
      title={ticket.sla_due_at ? `Due ${formatDateTime(ticket.sla_due_at)}` : undefined}
    >
      <span aria-hidden="true">{reading.text}</span>
      <span class="visually-hidden">{reading.label}</span>
    </span>
  );
}
