import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { api } from '@/lib/api-client';
import { installFakeApi } from '@/test/fake-api';
import { SignInForm } from './sign-in-form';

function fillAndSubmit() {
  fireEvent.input(screen.getByLabelText('Workspace'), { target: { value: 'demo' } });
  fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'maya@example.com' } });
  fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'hunter2hunter2' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('SignInForm', () => {
  it('signs in and keeps the tokens', async () => {
    const { calls } = installFakeApi(() => ({
      body: { access_token: 'a', refresh_token: 'r', token_type: 'Bearer', expires_in: 900 },
    }));
    api.clearTokens();
    const onSignedIn = vi.fn();
    render(<SignInForm onSignedIn={onSignedIn} />);
    fillAndSubmit();
    await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalled());
    expect(calls[0]).toMatchObject({
      method: 'POST',
      path: '/auth/login',
      body: { workspace: 'demo', email: 'maya@example.com', password: 'hunter2hunter2' },
    });
    expect(calls[0].headers.Authorization).toBeUndefined();
    expect(api.refreshToken()).toBe('r');
  });

  it('says clearly when the password is wrong (401)', async () => {
    installFakeApi(() => ({
      status: 401,
      body: { title: 'Unauthorized', status: 401, detail: 'Invalid credentials' },
    }));
    api.clearTokens();
    render(<SignInForm onSignedIn={vi.fn()} />);
    fillAndSubmit();
    expect(await screen.findByRole('alert')).toHaveTextContent('That workspace, email and password do not match');
    expect(screen.getByLabelText('Password')).toHaveValue('');
  });

  it('shows the server detail when the account is locked (429)', async () => {
    installFakeApi(() => ({
      status: 429,
      body: { title: 'Too many requests', status: 429, detail: 'Too many failed sign-ins. Try again in 15 minutes.' },
    }));
    api.clearTokens();
    render(<SignInForm onSignedIn={vi.fn()} />);
    fillAndSubmit();
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many failed sign-ins. Try again in 15 minutes.');
  });
});
