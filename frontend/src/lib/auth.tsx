import { useQuery, useQueryClient } from '@tanstack/preact-query';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Me, Permission } from '@/types/api';
import { api } from './api-client';
import { queryKeys } from './query-keys';

/** True while the client holds tokens; re-renders on sign in / sign out / expired session. */
export function useSignedIn(): boolean {
  const [signedIn, setSignedIn] = useState(() => api.hasSession());
  const queryClient = useQueryClient();
  useEffect(
    () =>
      api.onAuthChange((now) => {
        setSignedIn(now);
        if (!now) queryClient.clear(); // nothing of the previous session stays in memory
      }),
    [queryClient],
  );
  return signedIn;
}

export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: () => api.get<Me>('/me'),
    staleTime: 5 * 60_000,
    enabled: api.hasSession(),
  });
}

/** Whether the signed-in user has a permission (false while /me loads: hide rather than flash). */
export function useCan(permission: Permission): boolean {
  const { data } = useMe();
  return data?.permissions.includes(permission) ?? false;
}

export function Can({ permission, children }: { permission: Permission; children: ComponentChildren }) {
  return useCan(permission) ? <>{children}</> : null;
}
