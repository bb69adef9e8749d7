import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { api } from '@/lib/api-client';
import { installFakeApi } from '@/test/fake-api';
import { SignUpForm } from './sign-up-form';

function fillAndSubmit(password = 'violet tractor umbrella') {
  fireEvent.input(screen.getByLabelText('Workspace name'), { target: { value: 'Acme Support' } });
  fireEvent.input(screen.getByLabelText('Your name'), { target: { value: 'Ada <b>Admin</b>' } });
  fireEvent.input(screen.getByLabelText('Email'), { target: { value: ' ada@acme.example ' } });
  fireEvent.input(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Create workspace' }));
}

describe('SignUpForm', () => {
  it('asks for the workspace and then says to check the email, signing nobody in', async () => {
    const { calls } = installFakeApi(() => ({
      status: 202,
      body: { status: 'confirmation_sent', detail: 'Check your email.' },
    }));
    api.clearTokens();
    render(<SignUpForm />);
    fillAndSubmit();

    expect(await screen.findByRole('heading', { name: 'Check your email' })).toBeVisible();
    expect(screen.getByRole('status')).toHaveTextContent('We sent a link to ada@acme.example');
    expect(calls[0]).toMatchObject({
      method: 'POST',
      path: '/auth/signup',
      body: { workspace_name: 'Acme Support', workspace_slug: 'acme-support', email: 'ada@acme.example' },
    });
    expect(api.refreshToken()).toBeNull();
  });

  it('names the weak password and shows the advice as text', async () => {
    installFakeApi(() => ({
      status: 422,
      body: {
        title: 'Validation failed',
        status: 422,
        detail: 'password: too easy',
        errors: [{ field: 'password', message: 'This password is too easy to guess. Add another word or two.' }],
      },
    }));
    api.clearTokens();
    render(<SignUpForm />);
    fillAndSubmit('aaaaaaaaaa');

    expect(await screen.findByRole('alert')).toHaveTextContent('Check the highlighted fields.');
    const password = screen.getByLabelText('Password');
    expect(password).toHaveAttribute('aria-invalid', 'true');
    expect(password).toHaveAccessibleDescription(/Add another word or two\./);
  });

  it('goes back to the form to sign up again', async () => {
    installFakeApi(() => ({ status: 202, body: { status: 'confirmation_sent', detail: '' } }));
    render(<SignUpForm />);
    fillAndSubmit();
    fireEvent.click(await screen.findByRole('button', { name: 'Sign up again' }));
    expect(screen.getByLabelText('Workspace name')).toHaveValue('');
  });
});
