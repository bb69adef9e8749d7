import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { NotificationsPage } from '@/app/routes/notifications';
import { installFakeApi, makeMe } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import type { Me, NotificationPrefs } from '@/types/api';
import { changedPrefs, saveNotificationPrefs } from '../api/preferences';
import { NotificationPreferences } from './notification-preferences';

const ALL_ON: NotificationPrefs = {
  email_ticket_assigned: true,
  email_ticket_commented: true,
  email_sla_breached: true,
  email_watched_tickets: true,
};

/** GET/PUT /me/notifications: PUT merges the fields it is given and answers all four. */
function prefsServer(permissions: Me['permissions'] = makeMe().permissions, stored: NotificationPrefs = ALL_ON) {
  let prefs = { ...stored };
  const fake = installFakeApi((r) => {
    if (r.path === '/me') return { body: makeMe(permissions) };
    if (r.path === '/me/notifications' && r.method === 'GET') return { body: prefs };
    if (r.path === '/me/notifications' && r.method === 'PUT') {
      prefs = { ...prefs, ...(r.body as Partial<NotificationPrefs>) };
      return { body: prefs };
    }
    return undefined;
  });
  return { ...fake, prefs: () => prefs };
}

describe('notification preferences API', () => {
  it('puts only the preferences that changed', async () => {
    const { calls } = installFakeApi(() => ({ body: { ...ALL_ON, email_sla_breached: false } }));
    const edited = { ...ALL_ON, email_sla_breached: false };
    expect(changedPrefs(ALL_ON, edited)).toEqual({ email_sla_breached: false });
    expect(changedPrefs(ALL_ON, ALL_ON)).toEqual({});

    await saveNotificationPrefs(changedPrefs(ALL_ON, edited));

    expect(calls[0]).toMatchObject({ method: 'PUT', path: '/me/notifications', body: { email_sla_breached: false } });
  });
});

describe('NotificationPreferences', () => {
  it('shows each email as a labelled checkbox and saves a change with a visible confirmation', async () => {
    const server = prefsServer(undefined, { ...ALL_ON, email_sla_breached: false });
    renderWithProviders(<NotificationPreferences />);

    const watched = await screen.findByRole('checkbox', { name: 'Something happens on a ticket I watch' });
    expect(watched).toBeChecked();
    expect(watched).toHaveAccessibleDescription('A comment, a status change or a missed SLA on any ticket you watch.');
    expect(await screen.findByRole('checkbox', { name: 'A ticket assigned to me misses its SLA' })).not.toBeChecked();
    expect(screen.getAllByRole('checkbox')).toHaveLength(4);
    expect(screen.getByRole('group', { name: 'Email me when' })).toBeInTheDocument();

    fireEvent.click(watched);
    expect(screen.getByText('You have unsaved changes.')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Save email settings' }));

    expect(await screen.findByText('Saved. Your email settings are up to date.')).toHaveAttribute('role', 'status');
    expect(server.calls.find((c) => c.method === 'PUT')?.body).toEqual({ email_watched_tickets: false });
    expect(server.prefs().email_watched_tickets).toBe(false);
    expect(screen.getByRole('checkbox', { name: 'Something happens on a ticket I watch' })).not.toBeChecked();
    expect(screen.queryByText('You have unsaved changes.')).toBeNull();
  });

  it('says when a save fails and keeps the choice on screen', async () => {
    installFakeApi((r) => {
      if (r.path === '/me') return { body: makeMe() };
      if (r.method === 'GET') return { body: ALL_ON };
      return { status: 503, body: { title: 'Service unavailable', status: 503, detail: 'Try again in a minute.' } };
    });
    renderWithProviders(<NotificationPreferences />);
    fireEvent.click(await screen.findByRole('checkbox', { name: 'A ticket is assigned to me' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save email settings' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not save your email settings: Try again in a minute.',
    );
    expect(screen.getByRole('checkbox', { name: 'A ticket is assigned to me' })).not.toBeChecked();
  });

  it('shows an error with a retry when the settings cannot be loaded', async () => {
    let fail = true;
    installFakeApi((r) => {
      if (r.path === '/me') return { body: makeMe() };
      return fail ? { status: 500, body: { title: 'Server error', status: 500 } } : { body: ALL_ON };
    });
    renderWithProviders(<NotificationPreferences />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Server error');

    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('checkbox', { name: 'A ticket is assigned to me' })).toBeChecked();
  });

  it('offers a viewer, who is never assigned tickets, only the watched-tickets email', async () => {
    prefsServer(['tickets.read', 'users.read']);
    renderWithProviders(<NotificationsPage />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Notifications' })).toBeInTheDocument();
    await screen.findByRole('checkbox', { name: 'Something happens on a ticket I watch' });
    await waitFor(() => expect(screen.getAllByRole('checkbox')).toHaveLength(1));
    expect(await screen.findByText(/at maya@example.com/)).toBeInTheDocument();
  });
});
