import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { installFakeApi, makeTicket } from '@/test/fake-api';
import { fakeLiveSocket, renderWithProviders } from '@/test/render';
import type { Metrics, MetricsGroup } from '@/types/api';
import { GoalCards } from './goal-cards';
import { Performance } from './performance';

const drawn: unknown[][] = [];
vi.mock('uplot', () => ({
  default: class {
    constructor(_options: unknown, data: unknown[]) {
      drawn.push(data);
    }
    destroy() {}
  },
}));

function group(key: string, created: number, solved: number): MetricsGroup {
  return {
    key,
    created,
    solved,
    solved_previous: 1,
    solved_change: solved - 1,
    reopened: 0,
    first_response_p50: 1800,
    first_response_p90: 3600,
    resolution_p50: 7200,
    resolution_p90: 14_400,
    resolved_24h_share: 1,
    sla_compliance: 0.75,
  };
}

function metrics(solved = 5, overrides: Partial<Metrics> = {}): Metrics {
  const durations = { count: 4, p50: 1800, p90: 5400, p50_business: 1800, p90_business: 5400 };
  return {
    period: { first: '2026-11-01', last: '2026-11-02', days: 2 },
    comparison: { first: '2026-10-30', last: '2026-10-31', days: 2 },
    group_by: 'day',
    filters: {},
    created: 6,
    solved,
    reopened: 1,
    reopen_rate: 0.2,
    replies_per_solved: 1.5,
    first_response: durations,
    first_response_by_priority: [{ priority: 'high', count: 2, p50: 3000, p90: 7000, goal: 7200 }],
    resolution: { ...durations, p50: 7200 },
    resolution_previous_p50: 10_800,
    resolution_change: -0.33,
    resolved_24h_share: 0.9,
    solved_per_agent: 2.5,
    solved_per_agent_previous: 2,
    solved_per_agent_change: 0.25,
    sla: [
      { target: 'first_response', met: 3, breached: 1, compliance: 0.75 },
      { target: 'resolution', met: 3, breached: 2, compliance: 0.6 },
    ],
    csat_good: 0,
    csat_bad: 0,
    csat_score: null,
    goals: [
      {
        key: 'first_response_high',
        label: 'First response, high priority (median)',
        value: 3000,
        previous: 4000,
        goal: 7200,
        unit: 'seconds',
        met: true,
        trend: [4000, 3000],
      },
      {
        key: 'resolved_within_24h',
        label: 'Resolved within 24 hours',
        value: 0.7,
        previous: 0.8,
        goal: 0.8,
        unit: 'share',
        met: false,
        trend: [0.8, 0.6],
      },
    ],
    groups: [group('2026-11-01', 4, 2), group('2026-11-02', 2, solved - 2)],
    top_tags: [{ term: 'login', count: 4, previous: 1, change: 3 }],
    top_words: [{ term: 'refund', count: 2, previous: 0, change: null }],
    backlog_now: {
      open: 12,
      unassigned: 3,
      at_risk: 2,
      breached: 1,
      capped: false,
      links: { open: 'status=new&status=open', unassigned: 'assignee=unassigned', breached: 'sla_due_before=x' },
    },
    backlog_over_time: [
      { day: '2026-11-01', open: 10 },
      { day: '2026-11-02', open: 12 },
    ],
    ...overrides,
  };
}

describe('Goal cards', () => {
  it('show each value against its goal, whether it is met, and where it is heading', () => {
    renderWithProviders(<GoalCards goals={metrics().goals} />);
    const cards = screen.getAllByRole('listitem');
    expect(cards[0]).toHaveTextContent('50 min');
    expect(cards[0]).toHaveTextContent('Goal: under 2.0 h · met');
    expect(cards[0]).toHaveTextContent('trend falling');
    expect(cards[1]).toHaveTextContent('70 %');
    expect(cards[1]).toHaveTextContent('Goal: 80 % or more · not met');
  });
});

describe('Performance', () => {
  const serve = (solved: () => number) =>
    installFakeApi((r) => {
      if (r.path === '/metrics') return { body: metrics(solved(), { group_by: r.search.get('group_by') as 'day' }) };
      if (r.path === '/users') return { body: { items: [], next_cursor: null } };
      if (r.path === '/metrics/tickets')
        return { body: { measure: 'x', count: 2, items: [makeTicket({ id: 't9', number: 9, subject: 'Late one' })] } };
      return undefined;
    });

  it('gives every chart a table with the same numbers, and the live backlog with links to the tickets', async () => {
    serve(() => 5);
    renderWithProviders(<Performance filters={{ days: 30 }} onChange={() => undefined} />);
    const table = await screen.findByRole('region', { name: 'Tickets created and solved, by day' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => row.textContent);
    expect(rows).toEqual(['2026-11-0142', '2026-11-0223']);
    await waitFor(() => expect(drawn.length).toBeGreaterThan(0));
    expect(
      drawn.some(
        (data) =>
          JSON.stringify(data.slice(1)) ===
          JSON.stringify([
            [4, 2],
            [2, 3],
          ]),
      ),
    ).toBe(true);
    const backlog = screen.getByRole('list', { name: 'Backlog now' });
    expect(within(backlog).getByRole('link', { name: 'open' })).toHaveAttribute('href', '/?status=new&status=open');
    expect(backlog).toHaveTextContent('2 at risk');
    expect(screen.getByRole('region', { name: 'Top tags' })).toHaveTextContent('login41+300 %');
  });

  it('lists the tickets behind a figure when asked', async () => {
    const { calls } = serve(() => 5);
    renderWithProviders(<Performance filters={{ days: 30 }} onChange={() => undefined} />);
    const question = await screen.findByText('Which 2 tickets missed their resolution target?');
    fireEvent.click(question);
    question.closest('details')!.open = true;
    fireEvent(question.closest('details')!, new Event('toggle'));
    expect(await screen.findByRole('link', { name: '#9 Late one' })).toHaveAttribute('href', '/tickets/t9');
    const asked = calls.find((c) => c.path === '/metrics/tickets')!;
    expect(asked.search.get('measure')).toBe('sla_resolution_breached');
  });

  it('refetches once after a burst of ticket events, so a change elsewhere moves the numbers', async () => {
    let solved = 5;
    const { calls } = serve(() => solved);
    const live = fakeLiveSocket();
    renderWithProviders(<Performance filters={{ days: 30 }} onChange={() => undefined} />, { liveSocket: live.socket });
    await screen.findByText('Figures for the period');
    const before = calls.filter((c) => c.path === '/metrics').length;
    solved = 6;
    live.emit({ type: 'ticket.updated', ticket: { id: 't1', version: 2 }, changes: [] } as never);
    live.emit({ type: 'ticket.updated', ticket: { id: 't2', version: 2 }, changes: [] } as never);
    const table = screen.getByRole('region', { name: 'Tickets created and solved, by day' });
    await waitFor(() => expect(within(table).getAllByRole('row')[2]).toHaveTextContent('2026-11-0224'), {
      timeout: 4000,
    });
    const after = calls.filter((c) => c.path === '/metrics').length;
    expect(after - before).toBe(3); // one refetch of each of the page's three reports
  });

  it('combines queue and priority, and shows a channel on its own', async () => {
    const { calls } = serve(() => 5);
    const onChange = vi.fn();
    renderWithProviders(<Performance filters={{ days: 30, queue: 'billing' }} onChange={onChange} />);
    fireEvent.change(await screen.findByLabelText('Priority'), { target: { value: 'high' } });
    expect(onChange).toHaveBeenLastCalledWith({ days: 30, queue: 'billing', priority: 'high', channel: undefined });
    fireEvent.change(screen.getByLabelText('Channel'), { target: { value: 'email' } });
    expect(onChange).toHaveBeenLastCalledWith({ days: 30, channel: 'email' });
    // the period is the workspace's: the server counts the days back from its today
    const asked = calls.find((c) => c.path === '/metrics')!;
    expect(asked.search.get('days')).toBe('30');
    expect(asked.search.get('from')).toBeNull();
  });

  it('shows the next-reply target and customer satisfaction once ratings exist', async () => {
    installFakeApi((r) => {
      if (r.path === '/metrics')
        return {
          body: metrics(5, {
            csat_good: 9,
            csat_bad: 1,
            csat_score: 0.9,
            sla: [
              { target: 'first_response', met: 3, breached: 1, compliance: 0.75 },
              { target: 'next_reply', met: 1, breached: 1, compliance: 0.5 },
              { target: 'resolution', met: 2, breached: 2, compliance: 0.5 },
            ],
          }),
        };
      if (r.path === '/users') return { body: { items: [], next_cursor: null } };
      return undefined;
    });
    renderWithProviders(<Performance filters={{ days: 30 }} onChange={() => undefined} />);
    const next = (await screen.findByText('Next reply SLA met')).closest('div')!;
    expect(next).toHaveTextContent('50 %');
    expect(screen.getByText('Customer satisfaction').closest('div')).toHaveTextContent('90 % good (9 good, 1 bad)');
    expect(screen.getByText('Which 1 tickets waited too long for a next reply?')).toBeInTheDocument();
  });
});
