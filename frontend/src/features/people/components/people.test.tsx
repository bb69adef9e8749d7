import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { api } from '@/lib/api-client';
import { installFakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { AccountSecurity } from './account-security';
import { Invitations } from './invitations';

const invitation = {
  id: 'i1',
  email: 'nia@example.com',
  role: 'agent',
  invited_by: 'Ada',
  created_at: '2026-11-30T00:00:00Z',
  sent_at: '2026-11-30T00:00:00Z',
  expires_at: '2026-12-07T00:00:00Z',
  expired: false,
};

describe('Invitations', () => {
  it('invites by email and role, then lists the invitation with resend and revoke', async () => {
    let items: unknown[] = [];
    const { calls } = installFakeApi((r) => {
      if (r.method === 'GET' && r.path === '/invitations') return { body: { items } };
      if (r.method === 'POST' && r.path === '/invitations') {
        items = [invitation];
        return { status: 201, body: invitation };
      }
      if (r.method === 'DELETE') return { status: 204 };
      return undefined;
    });
    renderWithProviders(<Invitations />);
    expect(await screen.findByText(/No pending invitations/)).toBeInTheDocument();
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'nia@example.com' } });
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'agent' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send invitation' }));

    expect(await screen.findByText('Invitation sent to nia@example.com.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ email: 'nia@example.com', role: 'agent' });
    expect(await screen.findByRole('button', { name: 'Revoke the invitation to nia@example.com' })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Revoke the invitation to nia@example.com' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.path === '/invitations/i1')).toBe(true));
  });

  it('shows why an address cannot be invited next to the field', async () => {
    installFakeApi((r) =>
      r.method === 'POST'
        ? { status: 409, body: { title: 'Conflict', status: 409, detail: 'A user with this email already exists.' } }
        : { body: { items: [] } },
    );
    renderWithProviders(<Invitations />);
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'ada@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByText('A user with this email already exists.')).toBeInTheDocument();
  });
});

describe('AccountSecurity', () => {
  it('changes the password with the current one and names a wrong current password', async () => {
    const { calls } = installFakeApi((r) =>
      (r.body as { current_password?: string }).current_password === 'wrong'
        ? {
            status: 422,
            body: {
              title: 'Invalid',
              status: 422,
              errors: [{ field: 'current_password', message: 'is not your current password' }],
            },
          }
        : { status: 204 },
    );
    renderWithProviders(<AccountSecurity />);
    fireEvent.input(screen.getByLabelText('Current password'), { target: { value: 'wrong' } });
    fireEvent.input(screen.getByLabelText('New password'), { target: { value: 'amber kestrel lighthouse' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('is not your current password')).toBeInTheDocument();

    fireEvent.input(screen.getByLabelText('Current password'), { target: { value: 'right one' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText(/Every other device was signed out/)).toBeInTheDocument();
    expect(calls.at(-1)?.body).toEqual({ current_password: 'right one', new_password: 'amber kestrel lighthouse' });
  });

  it('signs out everywhere and drops this session', async () => {
    installFakeApi(() => ({ status: 204 }));
    renderWithProviders(<AccountSecurity />);
    fireEvent.click(screen.getByRole('button', { name: 'Sign out everywhere' }));
    await waitFor(() => expect(api.hasSession()).toBe(false));
  });
});
