import { describe, expect, it } from 'vitest';
import { clearSession, readSession, saveSession, tokenFromFragment } from './portal-api';

const ANSWER = {
  access_token: 'jwt',
  token_type: 'Bearer' as const,
  expires_in: 3600,
  requester: { id: 'c1', name: 'Rita', email: 'rita@acme.example' },
  workspace: { name: 'Acme', slug: 'acme', web_form_enabled: true },
};

describe('the portal session', () => {
  it('is kept per workspace for the tab, and forgotten once expired', () => {
    saveSession('acme', ANSWER, 1_000);
    expect(readSession('acme', 2_000)).toMatchObject({ token: 'jwt', email: 'rita@acme.example' });
    expect(readSession('other', 2_000)).toBeNull();
    expect(readSession('acme', 1_000 + 3_600_000)).toBeNull();
    clearSession('acme');
    expect(readSession('acme', 2_000)).toBeNull();
  });
});

describe('tokenFromFragment', () => {
  it('reads the emailed token and takes it off the address bar', () => {
    window.history.replaceState(null, '', '/portal/acme/sign-in#token=abc_DEF-123');
    expect(tokenFromFragment()).toBe('abc_DEF-123');
    expect(window.location.hash).toBe('');
  });

  it('refuses anything that is not a token', () => {
    window.history.replaceState(null, '', '/portal/acme/sign-in#token=<script>');
    expect(tokenFromFragment()).toBeNull();
  });
});
