import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { api } from '@/lib/api-client';
import { installFakeApi } from '@/test/fake-api';
import { ForgotPasswordForm } from './forgot-password-form';

const ACCEPTED = {
  status: 'reset_link_sent',
  detail: 'If this workspace has an active account with this email, we sent it a link. <b>60</b> minutes.',
};

function fillAndSubmit(workspace = 'demo', email = 'maya@example.com') {
  fireEvent.input(screen.getByLabelText('Workspace'), { target: { value: workspace } });
  fireEvent.input(screen.getByLabelText('Email'), { target: { value: email } });
  fireEvent.click(screen.getByRole('button', { name: 'Send me a link' }));
}

describe('ForgotPasswordForm', () => {
  it('asks for a link without a token and then says to check the email, as text', async () => {
    const { calls } = installFakeApi(() => ({ status: 202, body: ACCEPTED }));
    api.clearTokens();
    render(<ForgotPasswordForm />);

    fillAndSubmit(' demo ', ' maya@example.com ');

    const status = await screen.findByRole('status');
    expect(status).toHaveTextContent('Check your email');
    expect(status).toHaveTextContent('<b>60</b> minutes.'); // the server's words, never markup
    expect(status).toHaveTextContent('maya@example.com');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      method: 'POST',
      path: '/auth/password-reset',
      body: { workspace: 'demo', email: 'maya@example.com' },
    });
    expect(calls[0].headers.Authorization).toBeUndefined();
    expect(screen.getByRole('link', { name: 'Back to sign in' })).toHaveAttribute('href', '/sign-in');
  });

  it('ties a field error to its field', async () => {
    installFakeApi(() => ({
      status: 422,
      body: {
        title: 'Validation failed',
        status: 422,
        errors: [{ field: 'body.email', message: 'String should have at most 254 characters' }],
      },
    }));
    render(<ForgotPasswordForm />);
    fillAndSubmit();

    expect(await screen.findByRole('alert')).toHaveTextContent('Check the highlighted fields.');
    const email = screen.getByLabelText('Email');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription('String should have at most 254 characters');
  });

  it('says to wait when the address is rate limited', async () => {
    installFakeApi(() => ({
      status: 429,
      body: { title: 'Too many requests', status: 429, detail: 'Too many requests. Wait 30 s and try again.' },
    }));
    render(<ForgotPasswordForm />);
    fillAndSubmit();
    expect(await screen.findByRole('alert')).toHaveTextContent('Wait 30 s');
    expect(screen.queryByRole('status')).toBeNull();
  });
});
