import { useQuery } from '@tanstack/preact-query';
import { useState } from 'preact/hooks';
import { ErrorMessage, Loading } from '@/components/status';
import { api } from '@/lib/api-client';
import type { MetricsTickets as Behind } from '@/types/api';

/** "Which tickets?": the tickets a figure of the period counted, fetched when asked for. */
export function TicketsBehind({
  measure,
  from,
  to,
  label,
}: {
  measure: string;
  from: string;
  to: string;
  label: string;
}) {
  const [open, setOpen] = useState(false);
  const behind = useQuery({
    queryKey: ['metrics', 'tickets', measure, from, to],
    queryFn: ({ signal }) => api.get<Behind>('/metrics/tickets', { query: { measure, from, to, limit: 50 }, signal }),
    enabled: open,
  });
  return (
    <details class="tickets-behind" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>{label}</summary>
      {behind.isPending && open && <Loading label="Loading tickets…" />}
      {behind.isError && <ErrorMessage error={behind.error} />}
      {behind.data && (
        <ul class="tickets-behind__list">
          {behind.data.items.map((ticket) => (
            <li key={ticket.id}>
              <a href={`/tickets/${ticket.id}`}>
                #{ticket.number} {ticket.subject}
              </a>
            </li>
          ))}
          {behind.data.count > behind.data.items.length && (
            <li class="muted">and {behind.data.count - behind.data.items.length} more</li>
          )}
        </ul>
      )}
    </details>
  );
}
