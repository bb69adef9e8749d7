import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import type { Checklist } from '../api/onboarding';
import { GettingStarted } from './getting-started';

function checklist(overrides: Partial<Checklist> = {}): Checklist {
  const step = (id: Checklist['steps'][number]['id'], title: string, link: string, markable: boolean) => ({
    id,
    title,
    why: `Why ${title}`,
    link,
    link_label: `Go: ${title}`,
    done: false,
    done_because: null,
    markable,
  });
  return {
    steps: [
      { ...step('invite_team', 'Invite your team', '/team', false), done: true, done_because: '3 people are in it.' },
      step('tickets_arrive', 'Set up how tickets arrive', '/settings/email', true),
      step('connect_slack', 'Connect Slack', '/settings/integrations', false),
      step('review_routing', 'Review routing', '/settings/routing', true),
      step('review_sla', 'Review your SLA', '/settings/sla', true),
    ],
    done: 1,
    total: 5,
    dismissed: false,
    sample_ticket_count: 0,
    ...overrides,
  };
}

describe('GettingStarted', () => {
  it('shows each step with its link and state, and marks a review step', async () => {
    let state = checklist();
    const { calls } = installFakeApi((request) => {
      if (request.path === '/onboarding') return { body: state };
      if (request.path === '/onboarding/steps/review_routing' && request.method === 'PUT') {
        state = {
          ...state,
          done: 2,
          steps: state.steps.map((s) =>
            s.id === 'review_routing' ? { ...s, done: true, done_because: 'Marked as reviewed.' } : s,
          ),
        };
        return { body: state };
      }
      return undefined;
    });
    renderWithProviders(<GettingStarted />);

    expect(await screen.findByRole('heading', { name: 'Set up your workspace' })).toBeInTheDocument();
    expect(screen.getByText('1 of 5 done')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Invite your team (done)' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go: Review routing' })).toHaveAttribute('href', '/settings/routing');
    // steps ticked by the workspace's state offer no "mark" button
    const slack = screen.getByRole('listitem', { name: 'Connect Slack (to do)' });
    expect(within(slack).queryByRole('button')).toBeNull();

    const routing = screen.getByRole('listitem', { name: 'Review routing (to do)' });
    fireEvent.click(within(routing).getByRole('button', { name: 'Mark as reviewed' }));

    await waitFor(() => expect(screen.getByText('2 of 5 done')).toBeInTheDocument());
    expect(screen.getByText('Marked as reviewed.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ done: true });
  });

  it('adds and removes sample tickets and can be dismissed', async () => {
    let state = checklist();
    const { calls } = installFakeApi((request) => {
      if (request.path === '/onboarding' && request.method === 'GET') return { body: state };
      if (request.path === '/onboarding/sample-tickets') {
        state = { ...state, sample_ticket_count: request.method === 'POST' ? 5 : 0 };
        return { status: request.method === 'POST' ? 201 : 200, body: state };
      }
      if (request.path === '/onboarding/dismissed') {
        state = { ...state, dismissed: true };
        return { body: state };
      }
      return undefined;
    });
    renderWithProviders(<GettingStarted />);

    fireEvent.click(await screen.findByRole('button', { name: 'Add sample tickets' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Remove sample data (5 tickets)' }));
    await screen.findByRole('button', { name: 'Add sample tickets' });
    expect(calls.filter((c) => c.path === '/onboarding/sample-tickets').map((c) => c.method)).toEqual([
      'POST',
      'DELETE',
    ]);
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ count: 5 });

    fireEvent.click(screen.getByRole('button', { name: 'Dismiss checklist' }));
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Set up your workspace' })).toBeNull());
  });
});
