import { useQuery } from '@tanstack/preact-query';
import { api } from './api-client';
import { queryKeys } from './query-keys';
import type { components } from '@/types/openapi.gen';
import type { AgentLoad, Page, Ticket } from '@/types/api';

type Schemas = components['schemas'];
export type BulkChanges = Schemas['BulkChangesIn'];
export type BulkResult = Schemas['TicketBulkOut'];
export type BulkOutcome = Schemas['BulkResultOut'];
export type Queue = Schemas['QueueOut'];
export type TagCount = Schemas['TagOut'];

export const MAX_BULK = 100;

/** One change for many tickets, each against the version shown in the list. */
export function bulkUpdate(tickets: Pick<Ticket, 'id' | 'version'>[], changes: BulkChanges): Promise<BulkResult> {
  return api.post<BulkResult>('/tickets/bulk', {
    tickets: tickets.map(({ id, version }) => ({ id, version })),
    changes,
  });
}

export const deskKeys = {
  queues: ['queues'] as const,
  tags: ['tags'] as const,
};

export function useQueues(enabled = true) {
  return useQuery({
    queryKey: deskKeys.queues,
    queryFn: ({ signal }) => api.get<Page<Queue>>('/queues', { signal }),
    staleTime: 5 * 60_000,
    enabled,
  });
}

export function useTags(enabled = true) {
  return useQuery({
    queryKey: deskKeys.tags,
    queryFn: ({ signal }) => api.get<Page<TagCount>>('/tags', { query: { limit: 100 }, signal }),
    staleTime: 60_000,
    enabled,
  });
}

/** Each agent's availability and room (for whoever may assign). */
export function useAgentRoom(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.agentLoad,
    queryFn: ({ signal }) => api.get<Page<AgentLoad>>('/agents/load', { signal }),
    staleTime: 30_000,
    enabled,
  });
}
