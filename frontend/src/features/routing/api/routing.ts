import { useQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { components } from '@/types/openapi.gen';
import type { AgentLoad, Page, User } from '@/types/api';

export type RoutingSettings = components['schemas']['RoutingSettingsOut'];
export type RoutingSettingsInput = components['schemas']['RoutingSettingsIn'];

export const routingKey = ['settings', 'routing'] as const;

export function useRoutingSettings() {
  return useQuery({
    queryKey: routingKey,
    queryFn: ({ signal }) => api.get<RoutingSettings>('/settings/routing', { signal }),
  });
}

export function saveRoutingSettings(settings: RoutingSettingsInput): Promise<RoutingSettings> {
  return api.put<RoutingSettings>('/settings/routing', settings);
}

export function useTeamLoad() {
  return useQuery({
    queryKey: queryKeys.agentLoad,
    queryFn: ({ signal }) => api.get<Page<AgentLoad>>('/agents/load', { signal }),
    staleTime: 30_000,
  });
}

/** An agent's routing fields: how much work they take, and which queues they cover. */
export function saveAgentRouting(userId: string, changes: { capacity: number; skills: string[] }): Promise<User> {
  return api.patch<User>(`/users/${encodeURIComponent(userId)}`, changes);
}
