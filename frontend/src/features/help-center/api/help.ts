import { useQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import type { components } from '@/types/openapi.gen';

type Schemas = components['schemas'];
export type HelpCentre = Schemas['HelpCentreOut'];
export type PublicArticle = Schemas['PublicArticleOut'];
export type ArticleHit = Schemas['ArticleHitOut'];
export type FunnelStep = Schemas['HelpEventIn']['type'];

const base = (workspace: string) => `/portal/${encodeURIComponent(workspace)}/help`;

export function useHelpCentre(workspace: string) {
  return useQuery({
    queryKey: ['help', workspace],
    queryFn: ({ signal }) => api.get<HelpCentre>(base(workspace), { auth: false, signal }),
  });
}

export function useHelpArticle(workspace: string, article: string) {
  return useQuery({
    queryKey: ['help', workspace, 'article', article],
    queryFn: ({ signal }) =>
      api.get<PublicArticle>(`${base(workspace)}/articles/${encodeURIComponent(article)}`, { auth: false, signal }),
    retry: false,
  });
}

export function useHelpSearch(workspace: string, query: string) {
  return useQuery({
    queryKey: ['help', workspace, 'search', query],
    queryFn: ({ signal }) =>
      api.get<{ items: ArticleHit[] }>(`${base(workspace)}/search`, { auth: false, signal, query: { q: query } }),
    enabled: query.trim().length >= 2,
  });
}

export function fetchSuggestions(workspace: string, text: string, signal?: AbortSignal) {
  return api.get<{ items: ArticleHit[] }>(`${base(workspace)}/suggest`, { auth: false, signal, query: { q: text } });
}

const SESSION_KEY = 'pulsedesk.help_session';

/** One id per visit of a request form (sessionStorage: a new tab is a new visit). */
export function helpSession(): string {
  let id = sessionStorage.getItem(SESSION_KEY);
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    sessionStorage.setItem(SESSION_KEY, id);
  }
  return id;
}

/** Records a funnel step; the server counts each once per session. Never blocks or fails the form. */
export function recordFunnelStep(workspace: string, type: FunnelStep, article?: string): void {
  const body = { type, session: helpSession(), ...(article ? { article } : {}) };
  api.post(`${base(workspace)}/events`, body, { auth: false }).catch(() => undefined);
}

/** For the request form to call once it has sent the request (after a suggestion was opened, this
 * is what keeps the session from counting as a deflection). */
export function recordRequestSubmitted(workspace: string): void {
  recordFunnelStep(workspace, 'submitted');
}
