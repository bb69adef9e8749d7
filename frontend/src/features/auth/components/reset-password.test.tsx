import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '@/test/fake-api';
import { ResetPassword } from './reset-password';

const TOKEN = `${'a'.repeat(32)}${'b'.repeat(32)}tok_abcdefghijklmnopqrstuvwxyz0123456789AB`;
const STRONG = 'quiet lantern orchard 42';

function choose(password: string, again = password) {
  fireEvent.input(screen.getByLabelText('New password'), { target: { value: password } });
  fireEvent.input(screen.getByLabelText('New password again'), { target: { value: again } });
  fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
}

describe('ResetPassword', () => {
  it('drops the token from the address bar, sets the password and offers to sign in', async () => {
    window.history.replaceState(null, '', `/reset-password#token=${TOKEN}`);
    const { calls } = installFakeApi(() => ({ status: 204 }));

    render(<ResetPassword hash={window.location.hash} />);
    expect(window.location.hash).toBe('');
    expect(window.location.pathname).toBe('/reset-password');
    choose(STRONG);

    const status = await screen.findByRole('status');
    expect(status).toHaveTextContent('Your password is changed');
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/sign-in');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      method: 'POST',
      path: '/auth/password-reset/confirm',
      body: { token: TOKEN, password: STRONG },
    });
  });

  it('checks that both passwords match before asking the server', () => {
    const { calls } = installFakeApi(() => ({ status: 204 }));
    render(<ResetPassword hash={`#token=${TOKEN}`} />);

    choose(STRONG, `${STRONG}!`);

    const again = screen.getByLabelText('New password again');
    expect(again).toHaveAttribute('aria-invalid', 'true');
    expect(again).toHaveAccessibleDescription(/not the same/);
    expect(calls).toHaveLength(0);
  });

  it('shows the server advice on a weak password beside the field, as text, and keeps the form', async () => {
    installFakeApi(() => ({
      status: 422,
      body: {
        title: 'Validation failed',
        status: 422,
        errors: [{ field: 'password', message: '<i>Too common.</i> Add another word or two.' }],
      },
    }));
    render(<ResetPassword hash={`#token=${TOKEN}`} />);
    choose('password12');

    expect(await screen.findByRole('alert')).toHaveTextContent('Choose another password.');
    const field = screen.getByLabelText('New password');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription(expect.stringContaining('<i>Too common.</i> Add another word or two.'));
    expect(screen.getByRole('button', { name: 'Set new password' })).toBeEnabled();
  });

  it('explains an expired or used link and offers a new one', async () => {
    installFakeApi(() => ({
      status: 422,
      body: {
        title: 'Validation failed',
        status: 422,
        errors: [{ field: 'token', message: 'This link has expired or was already used. Ask for a new one.' }],
      },
    }));
    render(<ResetPassword hash={`#token=${TOKEN}`} />);
    choose(STRONG);

    expect(await screen.findByRole('alert')).toHaveTextContent('expired or was already used');
    expect(screen.getByRole('link', { name: 'Send me a new link' })).toHaveAttribute('href', '/forgot-password');
    expect(screen.queryByLabelText('New password')).toBeNull();
  });

  it('without a token, says the link is not valid and calls nothing', () => {
    const { calls } = installFakeApi(() => ({ status: 500 }));
    render(<ResetPassword hash="#token=<script>" />);
    expect(screen.getByRole('alert')).toHaveTextContent('This link has expired or was already used.');
    expect(calls).toHaveLength(0);
  });
});
