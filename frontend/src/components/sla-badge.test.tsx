import { act, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readSla, resetMinuteClock, shortSpan } from '@/lib/sla-clock';
import type { Ticket } from '@/types/api';
import { SlaBadge } from './sla-badge';

const NOW = Date.parse('2026-11-30T10:00:00Z');
const minutes = (n: number) => new Date(NOW + n * 60_000).toISOString();

function clock(due: string | null, overrides: Partial<Ticket['sla']> = {}) {
  return {
    created_at: minutes(-8 * 60),
    sla_due_at: due,
    sla: {
      policy_id: 'default',
      policy_name: 'Default',
      first_response_due_at: due,
      next_reply_due_at: null,
      resolution_due_at: null,
      paused: false,
      paused_at: null,
      state: 'ok' as const,
      ...overrides,
    },
  };
}

describe('readSla', () => {
  it('reads minutes, hours and overdue time as a person would say them', () => {
    expect(readSla(clock(minutes(45)), NOW)).toMatchObject({ text: 'due in 45 min' });
    expect(readSla(clock(minutes(120)), NOW)).toMatchObject({ text: '2 h left', tone: 'at_risk' });
    expect(readSla(clock(minutes(-10)), NOW)).toMatchObject({ text: 'overdue by 10 min', tone: 'breached' });
    expect(readSla(clock(minutes(6 * 60)), NOW)).toMatchObject({ text: '6 h left', tone: 'ok' });
    expect(shortSpan(3 * 24 * 3_600_000)).toBe('3 d');
  });

  it('keeps the server state as a floor, says when the clock stands still, and shows nothing without one', () => {
    expect(readSla(clock(minutes(600), { state: 'at_risk' }), NOW)?.tone).toBe('at_risk');
    expect(readSla(clock(minutes(600), { paused: true }), NOW)).toMatchObject({ tone: 'paused', text: 'SLA paused' });
    expect(readSla(clock(null), NOW)).toBeNull();
  });
});

describe('SlaBadge', () => {
  afterEach(() => {
    resetMinuteClock();
    vi.useRealTimers();
  });

  it('names the state for screen readers and moves on every minute without a refresh', () => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
    render(<SlaBadge ticket={clock(minutes(2))} />);
    expect(screen.getByText('due in 2 min')).toBeInTheDocument();
    expect(screen.getByText('SLA at risk: due in 2 min')).toHaveClass('visually-hidden');

    act(() => {
      vi.advanceTimersByTime(3 * 60_000);
    });

    expect(screen.getByText('overdue by 1 min')).toBeInTheDocument();
    expect(screen.getByText('SLA breached: overdue by 1 min')).toBeInTheDocument();
    expect(screen.getByText('overdue by 1 min').closest('.sla-badge')).toHaveClass('sla-badge--breached');
  });
});
