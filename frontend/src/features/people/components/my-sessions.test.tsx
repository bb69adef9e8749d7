import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { MySessions } from './my-sessions';

const session = (id: string, device: string, current: boolean) => ({
  id,
  device,
  user_agent: null,
  source_ip: '203.0.113.9',
  created_at: '2026-11-30T07:00:00Z',
  last_used_at: '2026-11-30T07:30:00Z',
  current,
});

describe('MySessions', () => {
  it('lists my devices, marks this one, and signs another out', async () => {
    let items = [session('s1', 'Chrome 131 on Windows', true), session('s2', 'Mobile Safari 17 on iOS', false)];
    const { calls } = installFakeApi((request) => {
      if (request.path === '/me/sessions') return { body: { items } };
      if (request.path === '/me/sessions/s2' && request.method === 'DELETE') {
        items = items.filter((s) => s.id !== 's2');
        return { status: 204 };
      }
      return undefined;
    });
    renderWithProviders(<MySessions />);

    expect(await screen.findByText('Chrome 131 on Windows')).toBeInTheDocument();
    expect(screen.getByText('This session')).toBeInTheDocument();
    // the current session offers no sign-out of its own (that is "Sign out")
    expect(screen.getAllByRole('button')).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Sign out Mobile Safari 17 on iOS' }));

    await waitFor(() => expect(screen.queryByText('Mobile Safari 17 on iOS')).toBeNull());
    expect(calls.some((c) => c.method === 'DELETE' && c.path === '/me/sessions/s2')).toBe(true);
  });
});
