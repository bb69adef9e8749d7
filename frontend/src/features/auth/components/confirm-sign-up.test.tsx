import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { api } from '@/lib/api-client';
import { installFakeApi } from '@/test/fake-api';
import { tokenFromHash } from '../api/sessions';
import { ConfirmSignUp } from './confirm-sign-up';

const TOKEN = 'tok_abcdefghijklmnopqrstuvwxyz012345';
const TOKENS = { access_token: 'a', refresh_token: 'r', token_type: 'Bearer', expires_in: 900 };

describe('tokenFromHash', () => {
  it('reads the token from the fragment and refuses anything else', () => {
    expect(tokenFromHash(`#token=${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromHash('#token=<script>')).toBeNull();
    expect(tokenFromHash('')).toBeNull();
  });
});

describe('ConfirmSignUp', () => {
  it('posts the token, signs in and drops the token from the address bar', async () => {
    window.history.replaceState(null, '', `/sign-up/confirm#token=${TOKEN}`);
    const { calls } = installFakeApi(() => ({ status: 201, body: TOKENS }));
    api.clearTokens();
    const onConfirmed = vi.fn();

    render(<ConfirmSignUp hash={window.location.hash} onConfirmed={onConfirmed} />);

    await vi.waitFor(() => expect(onConfirmed).toHaveBeenCalled());
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/auth/signup/confirm', body: { token: TOKEN } });
    expect(api.refreshToken()).toBe('r');
    expect(window.location.hash).toBe('');
  });

  it('asks for another address when the chosen one was taken, and retries with the same token', async () => {
    const { calls } = installFakeApi((request) => {
      const body = request.body as { workspace_slug?: string };
      if (body.workspace_slug === 'acme-two') return { status: 201, body: TOKENS };
      return {
        status: 409,
        body: { title: 'Conflict', status: 409, detail: 'That workspace address is taken.', field: 'workspace_slug' },
      };
    });
    api.clearTokens();
    const onConfirmed = vi.fn();
    render(<ConfirmSignUp hash={`#token=${TOKEN}`} onConfirmed={onConfirmed} />);

    const address = await screen.findByLabelText('Workspace address');
    expect(screen.getByRole('alert')).toHaveTextContent('the workspace address you chose is taken');
    fireEvent.input(address, { target: { value: 'acme-two' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create workspace' }));

    await vi.waitFor(() => expect(onConfirmed).toHaveBeenCalled());
    expect(calls[1].body).toEqual({ token: TOKEN, workspace_slug: 'acme-two' });
  });

  it('says an expired or used link is spent and offers to sign up again, as text', async () => {
    installFakeApi(() => ({
      status: 422,
      body: {
        title: 'Validation failed',
        status: 422,
        detail: 'token',
        errors: [{ field: 'token', message: '<b>This link has expired</b> or was already used.' }],
      },
    }));
    render(<ConfirmSignUp hash={`#token=${TOKEN}`} onConfirmed={vi.fn()} />);

    expect(await screen.findByRole('alert')).toHaveTextContent('<b>This link has expired</b> or was already used.');
    expect(screen.getByRole('link', { name: 'Sign up again' })).toHaveAttribute('href', '/sign-up');
  });

  it('without a token, says the link is not valid and calls nothing', () => {
    const { calls } = installFakeApi(() => ({ status: 500 }));
    render(<ConfirmSignUp hash="" onConfirmed={vi.fn()} />);
    expect(screen.getByRole('alert')).toHaveTextContent('This link has expired or was already used.');
    expect(calls).toHaveLength(0);
  });
});
