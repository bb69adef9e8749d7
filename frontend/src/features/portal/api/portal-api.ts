/**
 * The customer portal's side of the API: its own short-lived requester token (kept for the tab only,
 * apart from the team's session), and the calls a requester may make. Nothing here reaches the team's
 * routes: a requester token is refused there anyway.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/preact-query';
import { useEffect, useState } from 'preact/hooks';
import { api, type RequestOptions } from '@/lib/api-client';
import type { components } from '@/types/openapi.gen';

type Schemas = components['schemas'];
export type PortalWorkspace = Schemas['PortalWorkspaceOut'];
export type PortalRequest = Schemas['PortalRequestOut'];
export type PortalMessage = Schemas['PortalMessageOut'];
export type PortalConversation = Schemas['PortalConversationOut'];
export type RequesterToken = Schemas['RequesterTokenOut'];
export type PortalStatus = PortalRequest['status'];
export type PortalUploadStarted = Schemas['PortalUploadStartedOut'];
export type PortalAttachment = PortalRequest['attachments'][number];
export type Rating = NonNullable<PortalRequest['rating']>;

export interface PortalSession {
  token: string;
  expiresAt: number;
  name: string;
  email: string;
}

const sessionKey = (slug: string) => `pulsedesk.portal.${slug}`;
const listeners = new Set<() => void>();

export function readSession(slug: string, now = Date.now()): PortalSession | null {
  try {
    const raw = sessionStorage.getItem(sessionKey(slug));
    if (!raw) return null;
    const session = JSON.parse(raw) as PortalSession;
    return session.expiresAt > now ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(slug: string, answer: RequesterToken, now = Date.now()): void {
  const session: PortalSession = {
    token: answer.access_token,
    expiresAt: now + answer.expires_in * 1000,
    name: answer.requester.name,
    email: answer.requester.email,
  };
  sessionStorage.setItem(sessionKey(slug), JSON.stringify(session));
  listeners.forEach((listener) => listener());
}

export function clearSession(slug: string): void {
  sessionStorage.removeItem(sessionKey(slug));
  listeners.forEach((listener) => listener());
}

/** The signed-in requester of this portal, re-read when the session changes. */
export function usePortalSession(slug: string): PortalSession | null {
  const [session, setSession] = useState(() => readSession(slug));
  useEffect(() => {
    const update = () => setSession(readSession(slug));
    listeners.add(update);
    update();
    return () => void listeners.delete(update);
  }, [slug]);
  return session;
}

const base = (slug: string) => `/portal/${encodeURIComponent(slug)}`;

function asRequester(slug: string): RequestOptions {
  const session = readSession(slug);
  const headers: Record<string, string> = session ? { Authorization: `Bearer ${session.token}` } : {};
  return { auth: false, headers };
}

export const portalKeys = {
  workspace: (slug: string) => ['portal', slug, 'workspace'] as const,
  requests: (slug: string, status: PortalStatus) => ['portal', slug, 'requests', status] as const,
  request: (slug: string, id: string) => ['portal', slug, 'request', id] as const,
};

export function usePortalWorkspace(slug: string) {
  return useQuery({
    queryKey: portalKeys.workspace(slug),
    queryFn: () => api.get<PortalWorkspace>(base(slug), { auth: false }),
    staleTime: 60_000,
  });
}

export function requestSignIn(slug: string, email: string) {
  return api.post<Schemas['PortalAcceptedOut']>(`${base(slug)}/sign-in`, { email }, { auth: false });
}

export async function confirmSignIn(slug: string, token: string): Promise<RequesterToken> {
  const answer = await api.post<RequesterToken>(`${base(slug)}/sign-in/confirm`, { token }, { auth: false });
  saveSession(slug, answer);
  return answer;
}

export async function signOut(slug: string): Promise<void> {
  try {
    await api.post(`${base(slug)}/sign-out`, undefined, asRequester(slug));
  } finally {
    clearSession(slug);
  }
}

export function useMyRequests(slug: string, status: PortalStatus) {
  return useQuery({
    queryKey: portalKeys.requests(slug, status),
    queryFn: () =>
      api.get<Schemas['PortalRequestListOut']>(`${base(slug)}/requests`, { ...asRequester(slug), query: { status } }),
  });
}

export function useMyRequest(slug: string, id: string) {
  return useQuery({
    queryKey: portalKeys.request(slug, id),
    queryFn: () => api.get<PortalConversation>(`${base(slug)}/requests/${encodeURIComponent(id)}`, asRequester(slug)),
  });
}

export function useReply(slug: string, id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['PortalReplyIn']) =>
      api.post<Schemas['PortalReplyOut']>(
        `${base(slug)}/requests/${encodeURIComponent(id)}/replies`,
        body,
        asRequester(slug),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['portal', slug] }),
  });
}

/** "How did we do?" on a solved request: the last answer counts. */
export function useRate(slug: string, id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (answer: Schemas['RatingIn']) =>
      api.post<PortalRequest>(`${base(slug)}/requests/${encodeURIComponent(id)}/rating`, answer, asRequester(slug)),
    onSuccess: () => client.invalidateQueries({ queryKey: ['portal', slug] }),
  });
}

/** Where a file goes: a reply on a request, or a new request (its first file answers the id the others name). */
export type UploadTarget = { ticketId: string } | { requestId: string | null };

/** Asks for a presigned POST that accepts exactly this file (its type and size). */
export function startPortalUpload(slug: string, file: File, target: UploadTarget): Promise<PortalUploadStarted> {
  const declared = { filename: file.name, content_type: file.type || 'application/octet-stream', size: file.size };
  if ('ticketId' in target) {
    return api.post<PortalUploadStarted>(
      `${base(slug)}/requests/${encodeURIComponent(target.ticketId)}/uploads`,
      declared,
      asRequester(slug),
    );
  }
  return api.post<PortalUploadStarted>(
    `${base(slug)}/uploads`,
    target.requestId ? { ...declared, request_id: target.requestId } : declared,
    asRequester(slug),
  );
}

/** A short-lived download link to one file of the requester's own request. */
export function portalAttachmentLink(slug: string, ticketId: string, attachmentId: string) {
  return api.get<Schemas['AttachmentLinkOut']>(
    `${base(slug)}/requests/${encodeURIComponent(ticketId)}/attachments/${encodeURIComponent(attachmentId)}`,
    asRequester(slug),
  );
}

export function useMarkSolved(slug: string, id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api.post<PortalRequest>(`${base(slug)}/requests/${encodeURIComponent(id)}/solve`, undefined, asRequester(slug)),
    onSuccess: () => client.invalidateQueries({ queryKey: ['portal', slug] }),
  });
}

export function useNewRequest(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['PortalRequestIn']) =>
      api.post<PortalRequest>(`${base(slug)}/requests`, body, asRequester(slug)),
    onSuccess: () => client.invalidateQueries({ queryKey: ['portal', slug] }),
  });
}

export function submitWebRequest(slug: string, body: Schemas['WebRequestIn']) {
  return api.post<Schemas['PortalAcceptedOut']>(`${base(slug)}/web-requests`, body, { auth: false });
}

export async function confirmWebRequest(slug: string, token: string): Promise<PortalRequest> {
  const answer = await api.post<Schemas['WebRequestConfirmedOut']>(
    `${base(slug)}/web-requests/confirm`,
    { token },
    { auth: false },
  );
  saveSession(slug, answer.token);
  return answer.request;
}

/** The token in an emailed link's fragment (never sent to a server), taken off the address bar. */
export function tokenFromFragment(): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match) history.replaceState(null, '', window.location.pathname + window.location.search);
  return match ? match[1] : null;
}
