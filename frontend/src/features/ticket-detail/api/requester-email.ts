import { useQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { RequesterEmail } from '@/types/api';

/** Whether replies on this ticket can reach its requester (their address may have bounced or complained). */
export function useRequesterEmail(ticketId: string) {
  return useQuery({
    queryKey: queryKeys.requesterEmail(ticketId),
    queryFn: ({ signal }) =>
      api.get<RequesterEmail>(`/tickets/${encodeURIComponent(ticketId)}/requester-email`, { signal }),
    staleTime: 60_000,
  });
}
