import { screen, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { installFakeApi, makeMe } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import type { Me } from '@/types/api';
import { AppRouter } from './router';

const ADMIN = makeMe([
  'tickets.read',
  'tickets.write',
  'tickets.assign',
  'users.read',
  'users.manage',
  'settings.manage',
  'audit.read',
  'metrics.read',
  'api_keys.manage',
  'views.share',
  'webhooks.manage',
  'integrations.manage',
  'macros.share',
]);

function signedInAs(me: Me) {
  return installFakeApi((r) => {
    if (r.path === '/me') return { body: me };
    if (r.path === '/me/notifications')
      return {
        body: {
          email_ticket_assigned: true,
          email_ticket_commented: true,
          email_sla_breached: true,
          email_watched_tickets: true,
        },
      };
    if (r.path === '/integrations/slack') return { body: { connected: false } };
    if (r.path === '/webhooks' || r.path === '/notifications/dead-letters')
      return { body: { items: [], next_cursor: null } };
    return undefined;
  });
}

const mainNav = () => screen.getByRole('navigation', { name: 'Main' });

describe('Notifications and Integrations pages', () => {
  it('gives an admin both in the navigation, and the Integrations page', async () => {
    signedInAs(ADMIN);
    renderWithProviders(<AppRouter />, { url: '/settings/integrations' });

    expect(await screen.findByRole('heading', { level: 1, name: 'Integrations' })).toBeInTheDocument();
    expect(await within(mainNav()).findByRole('link', { name: 'Integrations' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    expect(within(mainNav()).getByRole('link', { name: 'Notifications' })).toHaveAttribute(
      'href',
      '/settings/notifications',
    );
    expect(screen.getByRole('heading', { level: 2, name: 'Slack' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'Webhooks' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'Failed notifications' })).toBeInTheDocument();
    expect(await screen.findByText('No failed notifications.')).toBeInTheDocument();
  });

  it('gives an agent the Notifications page but not Integrations, even by its address', async () => {
    const { calls } = signedInAs(makeMe());
    const { unmount } = renderWithProviders(<AppRouter />, { url: '/settings/notifications' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Notifications' })).toBeInTheDocument();
    expect(within(mainNav()).getByRole('link', { name: 'Notifications' })).toHaveAttribute('aria-current', 'page');
    expect(within(mainNav()).queryByRole('link', { name: 'Integrations' })).toBeNull();
    unmount();

    renderWithProviders(<AppRouter />, { url: '/settings/integrations' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Not available to your role' })).toBeInTheDocument();
    expect(calls.some((c) => c.path.startsWith('/integrations') || c.path.startsWith('/webhooks'))).toBe(false);
  });
});
