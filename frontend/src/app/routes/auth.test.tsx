import { screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { api } from '@/lib/api-client';
import { installFakeApi, makeMe } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { AppRouter } from '../router';
import { safeNextPath } from './auth';

describe('forgot password pages', () => {
  it('links from the sign-in page to the form that asks for a link', async () => {
    installFakeApi(() => undefined);
    api.clearTokens();
    const { unmount } = renderWithProviders(<AppRouter />, { url: '/sign-in' });
    expect(await screen.findByRole('link', { name: 'Forgot your password?' })).toHaveAttribute(
      'href',
      '/forgot-password',
    );
    unmount();

    renderWithProviders(<AppRouter />, { url: '/forgot-password' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Forgot your password?' })).toBeInTheDocument();
    expect(screen.getByLabelText('Workspace')).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toBeInTheDocument();
  });

  it('opens an emailed reset link even in a browser signed in to another account', async () => {
    installFakeApi((r) => (r.path === '/me' ? { body: makeMe() } : undefined));
    renderWithProviders(<AppRouter />, { url: '/reset-password#token=abc' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Choose a new password' })).toBeInTheDocument();
  });

  it('never returns to an emailed-link page after signing in', () => {
    expect(safeNextPath('/reset-password')).toBe('/');
    expect(safeNextPath('/forgot-password')).toBe('/');
    expect(safeNextPath('/tickets/1')).toBe('/tickets/1');
  });
});
