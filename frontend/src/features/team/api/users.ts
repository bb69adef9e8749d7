import { useQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { AgentLoad, Availability, Role, User } from '@/types/api';

export interface NewUser {
  name: string;
  email: string;
  role: Role;
  password: string;
}

export interface UserChanges {
  name?: string;
  role?: Role;
  active?: boolean;
  skills?: string[];
  capacity?: number | null;
  availability?: Availability;
}

export function createUser(input: NewUser): Promise<User> {
  return api.post<User>('/users', input);
}

export function updateUser(id: string, changes: UserChanges): Promise<User> {
  return api.patch<User>(`/users/${encodeURIComponent(id)}`, changes);
}

export function useAgentLoad(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.agentLoad,
    queryFn: ({ signal }) => api.get<{ items: AgentLoad[] }>('/agents/load', { signal }),
    enabled,
    staleTime: 30_000,
    // Ticket events refetch it at once (AgentLoadTable); availability changes have no event yet.
    refetchInterval: 60_000,
  });
}

export const AVAILABILITIES: Availability[] = ['online', 'away', 'offline'];
