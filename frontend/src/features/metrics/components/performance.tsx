import { ErrorMessage, Loading } from '@/components/status';
import { PRIORITY_LABELS } from '@/lib/format';
import { useRefetchOnLiveEvents } from '@/lib/live-refetch';
import { queryKeys } from '@/lib/query-keys';
import { useUserNames } from '@/lib/users';
import { TICKET_PRIORITIES, type Channel, type Metrics, type MetricsGroup, type TicketPriority } from '@/types/api';
import { PERIODS, useMetrics, type MetricsFilters } from '../api/metrics';
import { formatChange, formatDuration, formatShare } from './format';
import { GoalCards } from './goal-cards';
import { TicketsBehind } from './tickets-behind';
import { TimeChart } from './time-chart';

/** Ticket events move the figures: refetch once per burst, a little after it (the metrics consumer
 * gathers a second of changes before it folds them: infra/stream_mappings.py). */
const LIVE_REFRESH_MS = 2500;
const CHANNELS: Channel[] = ['web', 'email', 'api'];

function Filters({ filters, onChange }: { filters: MetricsFilters; onChange: (next: MetricsFilters) => void }) {
  // Queue and priority narrow together (they have rollups of their own); a channel narrows alone, so
  // choosing one clears the others.
  const narrow = (next: Partial<MetricsFilters>) => {
    const base = next.channel ? { days: filters.days } : { ...filters, channel: undefined };
    onChange({ ...base, ...next } as MetricsFilters);
  };
  return (
    <form class="filter-bar metrics-filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <label class="field field--inline">
        <span class="field__label">Period</span>
        <select value={filters.days} onChange={(e) => onChange({ ...filters, days: Number(e.currentTarget.value) })}>
          {PERIODS.map((p) => (
            <option key={p.days} value={p.days}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <label class="field field--inline">
        <span class="field__label">Queue</span>
        <input
          type="text"
          value={filters.queue ?? ''}
          placeholder="any"
          onChange={(e) => narrow({ queue: e.currentTarget.value.trim() || undefined })}
        />
      </label>
      <label class="field field--inline">
        <span class="field__label">Priority</span>
        <select
          value={filters.priority ?? ''}
          onChange={(e) => narrow({ priority: (e.currentTarget.value || undefined) as TicketPriority | undefined })}
        >
          <option value="">any</option>
          {[...TICKET_PRIORITIES].reverse().map((p) => (
            <option key={p} value={p}>
              {PRIORITY_LABELS[p]}
            </option>
          ))}
        </select>
      </label>
      <label class="field field--inline">
        <span class="field__label">Channel</span>
        <select
          value={filters.channel ?? ''}
          aria-describedby="channel-alone"
          onChange={(e) => narrow({ channel: (e.currentTarget.value || undefined) as Channel | undefined })}
        >
          <option value="">any</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <p id="channel-alone" class="field__hint muted">
        A channel is shown on its own; queue and priority combine.
      </p>
    </form>
  );
}

function GroupTable({ title, rows, name }: { title: string; rows: MetricsGroup[]; name: (key: string) => string }) {
  if (rows.length === 0)
    return (
      <p class="muted">
        No tickets in this period. Figures appear as tickets are created and answered; try a longer period.
      </p>
    );
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={title}>
      <table class="data-table">
        <caption class="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col" class="num">
              Solved
            </th>
            <th scope="col" class="num">
              Change
            </th>
            <th scope="col" class="num">
              Created
            </th>
            <th scope="col" class="num">
              First response (median)
            </th>
            <th scope="col" class="num">
              Resolution (median)
            </th>
            <th scope="col" class="num">
              Resolved in 24 h
            </th>
            <th scope="col" class="num">
              SLA met
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{name(row.key)}</th>
              <td class="num">{row.solved}</td>
              <td class="num">{formatChange(row.solved_change)}</td>
              <td class="num">{row.created}</td>
              <td class="num">{formatDuration(row.first_response_p50)}</td>
              <td class="num">{formatDuration(row.resolution_p50)}</td>
              <td class="num">{formatShare(row.resolved_24h_share)}</td>
              <td class="num">{formatShare(row.sla_compliance)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Backlog({ metrics }: { metrics: Metrics }) {
  const now = metrics.backlog_now;
  const figure = (label: string, value: number | null, link?: string) => (
    <li class="backlog__item">
      <span class="backlog__value">
        {value === null ? '—' : value}
        {now.capped && value !== null ? '+' : ''}
      </span>{' '}
      {link ? <a href={`/?${link}`}>{label}</a> : <span>{label}</span>}
    </li>
  );
  return (
    <ul class="backlog" aria-label="Backlog now">
      {figure('open', now.open, now.links.open)}
      {figure('unassigned', now.unassigned, now.links.unassigned)}
      {figure('at risk', now.at_risk)}
      {figure('breached', now.breached, now.links.breached)}
    </ul>
  );
}

function Terms({ title, rows }: { title: string; rows: Metrics['top_tags'] }) {
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={title}>
      <table class="data-table">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Term</th>
            <th scope="col" class="num">
              New tickets
            </th>
            <th scope="col" class="num">
              Before
            </th>
            <th scope="col" class="num">
              Change
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={4} class="muted">
                None in this period.
              </td>
            </tr>
          )}
          {rows.map((row) => (
            <tr key={row.term}>
              <th scope="row">{row.term}</th>
              <td class="num">{row.count}</td>
              <td class="num">{row.previous}</td>
              <td class="num">{row.previous === 0 ? 'new' : formatChange(row.change)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Performance({ filters, onChange }: { filters: MetricsFilters; onChange: (f: MetricsFilters) => void }) {
  const narrowed = Boolean(filters.queue || filters.priority || filters.channel);
  const daily = useMetrics(filters, 'day');
  const agents = useMetrics(filters, 'agent', !narrowed);
  const queues = useMetrics(filters, filters.queue ? 'day' : 'queue', !narrowed || Boolean(filters.queue));
  const names = useUserNames();
  useRefetchOnLiveEvents(queryKeys.metrics, { delayMs: LIVE_REFRESH_MS });

  if (daily.isPending) return <Loading label="Loading the team’s figures…" />;
  if (daily.isError) return <ErrorMessage error={daily.error} onRetry={() => void daily.refetch()} />;
  const m = daily.data;
  const days = m.groups.map((g) => g.key);
  const count = (v: number | null) => (v === null ? '—' : String(v));
  const sla = Object.fromEntries(m.sla.map((s) => [s.target, s]));

  return (
    <div class="stack">
      <Filters filters={filters} onChange={onChange} />
      <GoalCards goals={m.goals} />
      <section class="stack" aria-labelledby="backlog-heading">
        <h2 id="backlog-heading">Backlog now</h2>
        <Backlog metrics={m} />
      </section>
      <section class="stack" aria-labelledby="time-heading">
        <h2 id="time-heading">Over time</h2>
        <div class="chart-grid">
          <TimeChart
            title="Tickets created and solved"
            days={days}
            series={[
              { label: 'Created', values: m.groups.map((g) => g.created), format: count },
              { label: 'Solved', values: m.groups.map((g) => g.solved), format: count },
            ]}
          />
          <TimeChart
            title="Open tickets at the end of each day"
            days={m.backlog_over_time.map((p) => p.day)}
            series={[{ label: 'Open', values: m.backlog_over_time.map((p) => p.open), format: count }]}
          />
          <TimeChart
            title="Median first response and resolution"
            days={days}
            series={[
              { label: 'First response', values: m.groups.map((g) => g.first_response_p50), format: formatDuration },
              { label: 'Resolution', values: m.groups.map((g) => g.resolution_p50), format: formatDuration },
            ]}
          />
        </div>
      </section>
      <section class="stack" aria-labelledby="figures-heading">
        <h2 id="figures-heading">Figures for the period</h2>
        <dl class="figures">
          <div>
            <dt>First response (median / 90th percentile)</dt>
            <dd>
              {formatDuration(m.first_response.p50)} / {formatDuration(m.first_response.p90)}
            </dd>
          </div>
          <div>
            <dt>Resolution (median / 90th percentile)</dt>
            <dd>
              {formatDuration(m.resolution.p50)} / {formatDuration(m.resolution.p90)} (
              {formatChange(m.resolution_change)})
            </dd>
          </div>
          <div>
            <dt>Solved per agent</dt>
            <dd>
              {m.solved_per_agent?.toFixed(1) ?? '—'} ({formatChange(m.solved_per_agent_change)})
            </dd>
          </div>
          <div>
            <dt>Reopen rate</dt>
            <dd>{formatShare(m.reopen_rate)}</dd>
          </div>
          <div>
            <dt>First response SLA met</dt>
            <dd>{formatShare(sla.first_response?.compliance)}</dd>
          </div>
          <div>
            <dt>Next reply SLA met</dt>
            <dd>{formatShare(sla.next_reply?.compliance)}</dd>
          </div>
          <div>
            <dt>Resolution SLA met</dt>
            <dd>{formatShare(sla.resolution?.compliance)}</dd>
          </div>
          <div>
            <dt>Customer satisfaction</dt>
            <dd>
              {m.csat_good + m.csat_bad
                ? `${formatShare(m.csat_score)} good (${m.csat_good} good, ${m.csat_bad} bad)`
                : 'no ratings yet'}
            </dd>
          </div>
        </dl>
        <TicketsBehind
          measure="sla_resolution_breached"
          from={m.period.first}
          to={m.period.last}
          label={`Which ${sla.resolution?.breached ?? 0} tickets missed their resolution target?`}
        />
        <TicketsBehind
          measure="sla_first_response_breached"
          from={m.period.first}
          to={m.period.last}
          label={`Which ${sla.first_response?.breached ?? 0} tickets missed their first-response target?`}
        />
        <TicketsBehind
          measure="sla_next_reply_breached"
          from={m.period.first}
          to={m.period.last}
          label={`Which ${sla.next_reply?.breached ?? 0} tickets waited too long for a next reply?`}
        />
        <div class="table-scroll" tabIndex={0} role="region" aria-label="First response by priority">
          <table class="data-table">
            <caption>First response by priority</caption>
            <thead>
              <tr>
                <th scope="col">Priority</th>
                <th scope="col" class="num">
                  Responses
                </th>
                <th scope="col" class="num">
                  Median
                </th>
                <th scope="col" class="num">
                  90th percentile
                </th>
                <th scope="col" class="num">
                  Goal
                </th>
              </tr>
            </thead>
            <tbody>
              {m.first_response_by_priority.map((row) => (
                <tr key={row.priority}>
                  <th scope="row">{PRIORITY_LABELS[row.priority]}</th>
                  <td class="num">{row.count}</td>
                  <td class="num">{formatDuration(row.p50)}</td>
                  <td class="num">{formatDuration(row.p90)}</td>
                  <td class="num">{row.goal === null ? '—' : `under ${formatDuration(row.goal)}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {!narrowed && (
        <section class="stack" aria-labelledby="agents-heading">
          <h2 id="agents-heading">Per agent</h2>
          {agents.data ? (
            <GroupTable
              title="Per agent"
              rows={agents.data.groups}
              name={(key) => (key === 'none' ? 'Unassigned' : (names.get(key) ?? key))}
            />
          ) : (
            <Loading />
          )}
        </section>
      )}
      {(!narrowed || filters.queue) && (
        <section class="stack" aria-labelledby="queues-heading">
          <h2 id="queues-heading">Per queue</h2>
          {queues.data ? (
            <GroupTable
              title="Per queue"
              rows={
                filters.queue
                  ? [{ ...queues.data.groups[0], ...summary(queues.data, filters.queue) }]
                  : queues.data.groups
              }
              name={(key) => key}
            />
          ) : (
            <Loading />
          )}
        </section>
      )}
      <section class="stack" aria-labelledby="topics-heading">
        <h2 id="topics-heading">What new tickets are about</h2>
        <div class="chart-grid">
          <Terms title="Top tags" rows={m.top_tags} />
          {narrowed ? (
            <p class="muted">Top words in subjects are kept for the whole workspace: clear the filters to see them.</p>
          ) : (
            <Terms title="Top words in subjects" rows={m.top_words} />
          )}
        </div>
      </section>
    </div>
  );
}

/** One queue's row, from a report already narrowed to it. */
function summary(m: Metrics, queue: string): MetricsGroup {
  return {
    key: queue,
    created: m.created,
    solved: m.solved,
    solved_previous: 0,
    solved_change: null,
    reopened: m.reopened,
    first_response_p50: m.first_response.p50,
    first_response_p90: m.first_response.p90,
    resolution_p50: m.resolution.p50,
    resolution_p90: m.resolution.p90,
    resolved_24h_share: m.resolved_24h_share,
    sla_compliance: null,
  };
}
