import { api, isApiError } from '@/lib/api-client';
import type { TokenPair } from '@/types/api';

export interface SignInInput {
  workspace: string;
  email: string;
  password: string;
}

export interface SignUpInput {
  workspace_name: string;
  workspace_slug: string;
  name: string;
  email: string;
  password: string;
}

export async function signIn(input: SignInInput): Promise<TokenPair> {
  const pair = await api.post<TokenPair>('/auth/login', input, { auth: false });
  api.setTokens(pair);
  return pair;
}

export interface SignUpAccepted {
  status: 'confirmation_sent';
  detail: string;
}

/** Asks for a workspace; the server emails a link and answers the same whether or not the address is free. */
export async function requestSignUp(input: SignUpInput): Promise<SignUpAccepted> {
  return api.post<SignUpAccepted>('/auth/signup', input, { auth: false });
}

/** Follows the emailed link: creates the workspace and signs its admin in. `workspaceSlug` replaces a taken address. */
export async function confirmSignUp(token: string, workspaceSlug?: string): Promise<TokenPair> {
  const body = workspaceSlug ? { token, workspace_slug: workspaceSlug } : { token };
  const pair = await api.post<TokenPair>('/auth/signup/confirm', body, { auth: false });
  api.setTokens(pair);
  return pair;
}

/** The token of an emailed link (sign-up confirmation, password reset), kept in the URL fragment (`#token=…`) so no server ever logs it. */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && /^[A-Za-z0-9_-]{16,160}$/.test(token) ? token : null;
}

export interface PasswordResetAccepted {
  status: 'reset_link_sent';
  detail: string;
}

/** "Forgot password": the server mails a one-time link, and answers the same whether or not the account exists. */
export async function requestPasswordReset(input: {
  workspace: string;
  email: string;
}): Promise<PasswordResetAccepted> {
  return api.post<PasswordResetAccepted>('/auth/password-reset', input, { auth: false });
}

/** Sets a new password with the emailed link's token; every session of the account ends, so sign in afterwards. */
export async function confirmPasswordReset(token: string, password: string): Promise<void> {
  await api.post<void>('/auth/password-reset/confirm', { token, password }, { auth: false });
}

/** Revokes the refresh token on the server; the local session ends even if that call fails. */
export async function signOut(): Promise<void> {
  const refreshToken = api.refreshToken();
  try {
    if (refreshToken) await api.post('/auth/logout', { refresh_token: refreshToken });
  } catch {
    // already expired or offline: forgetting the tokens locally is what matters
  } finally {
    api.clearTokens();
  }
}

/** What to tell a person whose sign-in failed. */
export function signInErrorMessage(error: unknown): string {
  if (isApiError(error, 401)) return 'That workspace, email and password do not match. Check them and try again.';
  if (isApiError(error, 429)) {
    return (
      error.problem.detail || 'This account is locked for a while after too many failed attempts. Try again later.'
    );
  }
  if (isApiError(error)) return error.message;
  return 'Sign-in failed. Try again.';
}

/** A slug suggestion from a workspace name: "Acme Support" → "acme-support". */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}
