import { useQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { ApiKey, CreatedApiKey, Page, Permission } from '@/types/api';

export function useApiKeys() {
  return useQuery({
    queryKey: queryKeys.apiKeys,
    queryFn: ({ signal }) => api.get<Page<ApiKey>>('/api-keys', { signal }),
  });
}

export function createApiKey(input: { name: string; scopes: Permission[] }): Promise<CreatedApiKey> {
  return api.post<CreatedApiKey>('/api-keys', input);
}

export function revokeApiKey(id: string): Promise<void> {
  return api.delete(`/api-keys/${encodeURIComponent(id)}`);
}
