import { useInfiniteQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { DeadLetter, Page } from '@/types/api';

/** Notifications given up on after every retry, newest first. */
export function useDeadLetters() {
  return useInfiniteQuery({
    queryKey: queryKeys.deadLetters,
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<DeadLetter>>('/notifications/dead-letters', { query: { cursor: pageParam, limit: 25 }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** Queues the notification again from its first attempt; a letter is replayed at most once (409 after). */
export function replayDeadLetter(id: string): Promise<DeadLetter> {
  return api.post<DeadLetter>(`/notifications/dead-letters/${encodeURIComponent(id)}/replay`);
}

const CHANNELS: Record<string, string> = { email: 'Email', slack: 'Slack', webhook: 'Webhook' };

export function channelLabel(channel: string): string {
  return CHANNELS[channel] ?? channel.replace(/_/g, ' ');
}
