import { Empty, ErrorMessage, Loading } from '@/components/status';
import { useRefetchOnLiveEvents } from '@/lib/live-refetch';
import { PRIORITY_LABELS } from '@/lib/format';
import { queryKeys } from '@/lib/query-keys';
import { TICKET_PRIORITIES, type AgentLoad, type TicketPriority } from '@/types/api';
import { useAgentLoad } from '../api/users';

/** Ticket changes move load between agents: refetch shortly after them, once per burst. */
const LOAD_REFRESH_MS = 750;
const PRIORITIES_SHOWN: TicketPriority[] = [...TICKET_PRIORITIES].reverse(); // urgent first

/** How the load figure is made, in words, for the note beside the table. */
export const LOAD_EXPLAINED =
  'Load weighs each open ticket by its priority (by default an urgent ticket counts 2 and the others 1; admins set the weights in the routing settings), so it can be higher than the number of open tickets. Capacity is the load at which automatic assignment stops giving the agent tickets.';

function LoadCell({ agent }: { agent: AgentLoad }) {
  const capacity = agent.capacity ?? 0;
  const text = capacity ? `${agent.load} / ${capacity}` : String(agent.load);
  const open = Object.values(agent.open_by_priority).reduce((sum, n) => sum + (n ?? 0), 0);
  const over = capacity > 0 && agent.load > capacity;
  return (
    <div class="load">
      <span class={over ? 'load__text load__text--over' : 'load__text'}>
        {text}
        {over && <span class="visually-hidden"> (over capacity)</span>}
      </span>
      <span class="cell__sub">
        {open} open ticket{open === 1 ? '' : 's'}, weighted
      </span>
      {capacity > 0 && (
        <meter
          class="load__meter"
          aria-hidden="true"
          min={0}
          max={capacity}
          low={capacity * 0.7}
          high={capacity * 0.9}
          optimum={0}
          value={Math.min(agent.load, capacity)}
        />
      )}
    </div>
  );
}

/**
 * Each agent's open tickets by priority, weighted load against capacity, and availability, for
 * leads and admins; it follows ticket changes live.
 */
export function AgentLoadTable() {
  const loads = useAgentLoad(true);
  useRefetchOnLiveEvents(queryKeys.agentLoad, { delayMs: LOAD_REFRESH_MS });

  if (loads.isPending) return <Loading label="Loading load…" />;
  if (loads.isError) return <ErrorMessage error={loads.error} onRetry={() => void loads.refetch()} />;
  if (loads.data.items.length === 0) return <Empty title="No agents yet." />;

  return (
    // Focusable so that keyboard users can scroll it on narrow screens.
    <div class="table-scroll" tabIndex={0} role="region" aria-label="Open tickets and load per agent">
      <p class="muted small" id="load-explained">
        {LOAD_EXPLAINED}
      </p>
      <table class="data-table data-table--stack">
        <caption class="visually-hidden">Open tickets and load per agent</caption>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Availability</th>
            <th scope="col">Load / capacity</th>
            {PRIORITIES_SHOWN.map((priority) => (
              <th scope="col" class="num" key={priority}>
                {PRIORITY_LABELS[priority]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {loads.data.items.map((agent) => (
            <tr key={agent.user_id}>
              <th scope="row">{agent.name}</th>
              <td data-label="Availability">
                <span class={`availability availability--${agent.availability}`}>{agent.availability}</span>
              </td>
              <td data-label="Load / capacity">
                <LoadCell agent={agent} />
              </td>
              {PRIORITIES_SHOWN.map((priority) => (
                <td class="num" key={priority} data-label={PRIORITY_LABELS[priority]}>
                  {agent.open_by_priority[priority] ?? 0}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
