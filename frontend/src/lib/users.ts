import { useQuery } from '@tanstack/preact-query';
import { useMemo } from 'preact/hooks';
import type { Page, User } from '@/types/api';
import { api } from './api-client';
import { queryKeys } from './query-keys';

/** The workspace's users: assignee pickers and names everywhere read this one cached list. */
export function useUsers(enabled = true) {
  return useQuery({
    queryKey: queryKeys.users,
    queryFn: ({ signal }) => api.get<Page<User>>('/users', { query: { limit: 100 }, signal }),
    staleTime: 60_000,
    enabled,
  });
}

export function useUserNames(): Map<string, string> {
  const { data } = useUsers();
  return useMemo(() => new Map((data?.items ?? []).map((user) => [user.id, user.name])), [data]);
}
