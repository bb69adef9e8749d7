import { useMutation, useQuery, useQueryClient } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import type { components } from '@/types/openapi.gen';

export type PortalSettings = components['schemas']['PortalSettingsOut'];
const KEY = ['settings', 'portal'] as const;

export function usePortalSettings() {
  return useQuery({ queryKey: KEY, queryFn: () => api.get<PortalSettings>('/portal-settings') });
}

export function useSavePortalSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: components['schemas']['PortalSettingsIn']) => api.put<PortalSettings>('/portal-settings', body),
    onSuccess: (saved) => client.setQueryData(KEY, saved),
  });
}
