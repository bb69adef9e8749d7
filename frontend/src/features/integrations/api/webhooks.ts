import { useInfiniteQuery, useQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type {
  ConnectionTest,
  CreatedWebhookEndpoint,
  Page,
  Redelivery,
  WebhookDelivery,
  WebhookEndpoint,
} from '@/types/api';

export const ALL_EVENTS = '*';

/** The event types an endpoint can subscribe to: the ones POST/PATCH /webhooks accept. */
export const WEBHOOK_EVENTS: { type: string; label: string }[] = [
  { type: 'ticket.created', label: 'Ticket created' },
  { type: 'ticket.assigned', label: 'Ticket assigned' },
  { type: 'ticket.status_changed', label: 'Ticket status changed' },
  { type: 'ticket.priority_changed', label: 'Ticket priority changed' },
  { type: 'comment.created', label: 'Comment added' },
  { type: 'ticket.sla_breached', label: 'Ticket missed its SLA' },
];

export interface WebhookInput {
  url: string;
  description: string;
  event_types: string[];
}

export interface WebhookChanges {
  url?: string;
  description?: string;
  event_types?: string[];
  enabled?: boolean;
}

export function useWebhookEndpoints(enabled = true) {
  return useQuery({
    queryKey: queryKeys.webhooks,
    queryFn: ({ signal }) => api.get<Page<WebhookEndpoint>>('/webhooks', { signal }),
    enabled,
  });
}

export function createWebhookEndpoint(input: WebhookInput): Promise<CreatedWebhookEndpoint> {
  return api.post<CreatedWebhookEndpoint>('/webhooks', input);
}

export function updateWebhookEndpoint(id: string, changes: WebhookChanges): Promise<WebhookEndpoint> {
  return api.patch<WebhookEndpoint>(endpointPath(id), changes);
}

export function deleteWebhookEndpoint(id: string): Promise<void> {
  return api.delete(endpointPath(id));
}

export function testWebhookEndpoint(id: string): Promise<ConnectionTest> {
  return api.post<ConnectionTest>(`${endpointPath(id)}/test`);
}

export function redeliver(endpointId: string, deliveryId: string): Promise<Redelivery> {
  return api.post<Redelivery>(`${endpointPath(endpointId)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`);
}

/** The endpoint's delivery log, newest first, a page at a time. */
export function useWebhookDeliveries(endpointId: string) {
  return useInfiniteQuery({
    queryKey: queryKeys.webhookDeliveries(endpointId),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<WebhookDelivery>>(`${endpointPath(endpointId)}/deliveries`, {
        query: { cursor: pageParam, limit: 20 },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

function endpointPath(id: string): string {
  return `/webhooks/${encodeURIComponent(id)}`;
}

/** "Ticket created, Comment added" or "All events", for an endpoint's subscription. */
export function describeEvents(eventTypes: string[]): string {
  if (eventTypes.includes(ALL_EVENTS)) return 'All events';
  return eventTypes.map((type) => WEBHOOK_EVENTS.find((e) => e.type === type)?.label ?? type).join(', ');
}
