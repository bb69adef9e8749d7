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
  it('gives an admin both under Settings, and the Integrations page', async () => {
    signedInAs(ADMIN);
    renderWithProviders(<AppRouter />, { url: '/settings/integrations' });

    expect(await screen.findByRole('heading', { level: 1, name: 'Integrations' })).toBeInTheDocument();
    // the main navigation stays short: every settings page is one link away, under Settings (marked as where you are)
    expect(await within(mainNav()).findByRole('link', { name: 'Settings' })).toHaveAttribute(
      'aria-current',
      'location',
    );
    expect(within(mainNav()).queryByRole('link', { name: 'Integrations' })).toBeNull();
    expect(within(mainNav()).getAllByRole('link').length).toBeLessThanOrEqual(7);
    expect(screen.getByRole('heading', { level: 2, name: 'Slack' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'Webhooks' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'Failed notifications' })).toBeInTheDocument();
    expect(await screen.findByText('No failed notifications.')).toBeInTheDocument();
  });

  it('gives an agent the Notifications page but not Integrations, even by its address', async () => {
    const { calls } = signedInAs(makeMe());
    const { unmount } = renderWithProviders(<AppRouter />, { url: '/settings/notifications' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Notifications' })).toBeInTheDocument();
    expect(within(mainNav()).getByRole('link', { name: 'Settings' })).toHaveAttribute('aria-current', 'location');
    unmount();

    // the Settings page offers the agent their own settings and nothing an admin manages
    const hub = renderWithProviders(<AppRouter />, { url: '/settings' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument();
    expect(within(mainNav()).getByRole('link', { name: 'Settings' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByRole('link', { name: 'Notifications' })).toHaveAttribute('href', '/settings/notifications');
    expect(screen.getByRole('link', { name: 'Account' })).toHaveAttribute('href', '/account');
    expect(screen.queryByRole('link', { name: 'Integrations' })).toBeNull();
    expect(screen.queryByRole('heading', { level: 2, name: 'Security' })).toBeNull();
    hub.unmount();

    renderWithProviders(<AppRouter />, { url: '/settings/integrations' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Not available to your role' })).toBeInTheDocument();
    expect(calls.some((c) => c.path.startsWith('/integrations') || c.path.startsWith('/webhooks'))).toBe(false);
  });
});

describe('Settings', () => {
  it('lists every settings page an admin has, grouped, each saying what it is for', async () => {
    signedInAs(ADMIN);
    renderWithProviders(<AppRouter />, { url: '/settings' });

    expect(await screen.findByRole('heading', { level: 2, name: 'Security' })).toBeInTheDocument();
    const groups = screen.getAllByRole('region').map((region) => within(region).getByRole('heading').textContent);
    expect(groups).toEqual(['You', 'How work flows', 'Where customers reach you', 'Security']);
    for (const [name, href] of [
      ['Routing', '/settings/routing'],
      ['SLA and business hours', '/settings/sla'],
      ['Portal and widget', '/settings/portal'],
      ['API keys', '/team/api-keys'],
      ['Audit log', '/team/audit'],
    ]) {
      expect(screen.getByRole('link', { name })).toHaveAttribute('href', href);
    }
    expect(screen.getByText('Who changed what, and when.')).toBeInTheDocument();
  });
});
