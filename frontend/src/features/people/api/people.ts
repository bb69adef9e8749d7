import { useQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import type { components } from '@/types/openapi.gen';
import type { Role, TokenPair } from '@/types/api';

export type Invitation = components['schemas']['InvitationOut'];

export const invitationsKey = ['invitations'] as const;

export function listInvitations(signal?: AbortSignal): Promise<{ items: Invitation[] }> {
  return api.get<{ items: Invitation[] }>('/invitations', { signal });
}

export function invite(email: string, role: Role): Promise<Invitation> {
  return api.post<Invitation>('/invitations', { email, role });
}

export function resendInvitation(id: string): Promise<Invitation> {
  return api.post<Invitation>(`/invitations/${encodeURIComponent(id)}/resend`);
}

export function revokeInvitation(id: string): Promise<void> {
  return api.delete<void>(`/invitations/${encodeURIComponent(id)}`);
}

/** Follows the emailed link: makes the account and signs it in. */
export async function acceptInvitation(token: string, name: string, password: string): Promise<TokenPair> {
  const pair = await api.post<TokenPair>('/auth/invitations/accept', { token, name, password }, { auth: false });
  api.setTokens(pair);
  return pair;
}

export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return api.post<void>('/me/password', { current_password: currentPassword, new_password: newPassword });
}

/** Ends every session of mine, this one too: the app then shows the sign-in page. */
export async function signOutEverywhere(): Promise<void> {
  await api.post<void>('/me/sessions/sign-out-everywhere');
  api.clearTokens();
}

export type MySession = components['schemas']['MySessionOut'];

export const mySessionsKey = ['me', 'sessions'] as const;

export function useMySessions() {
  return useQuery({
    queryKey: mySessionsKey,
    queryFn: ({ signal }) => api.get<{ items: MySession[] }>('/me/sessions', { signal }),
  });
}

/** Signs one of my sessions out (another device); its refresh token stops working. */
export function endMySession(id: string): Promise<void> {
  return api.delete<void>(`/me/sessions/${encodeURIComponent(id)}`);
}
