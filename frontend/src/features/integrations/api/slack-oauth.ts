import { useQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import type { components } from '@/types/openapi.gen';
import type { SlackConnection } from '@/types/api';

type Schemas = components['schemas'];
export type SlackOAuth = Schemas['SlackOAuthOut'];
export type SlackOAuthStart = Schemas['SlackOAuthStartOut'];

export function useSlackOAuth() {
  return useQuery({
    queryKey: ['integrations', 'slack', 'oauth'] as const,
    queryFn: ({ signal }) => api.get<SlackOAuth>('/integrations/slack/oauth', { signal }),
    staleTime: 10 * 60_000,
  });
}

export function startSlackOAuth(): Promise<SlackOAuthStart> {
  return api.post<SlackOAuthStart>('/integrations/slack/oauth/start');
}

export function finishSlackOAuth(code: string, state: string): Promise<SlackConnection> {
  return api.post<SlackConnection>('/integrations/slack/oauth/callback', { code, state });
}
