import { api } from '@/lib/api-client';
import type { components } from '@/types/openapi.gen';
import type { Queue } from '@/lib/desk-api';

export type QueueInput = components['schemas']['QueueIn'];
export type QueuePatch = components['schemas']['QueuePatchIn'];

export function createQueue(queue: QueueInput): Promise<Queue> {
  return api.post<Queue>('/queues', queue);
}

export function updateQueue(name: string, patch: QueuePatch): Promise<Queue> {
  return api.patch<Queue>(`/queues/${encodeURIComponent(name)}`, patch);
}

export function deleteQueue(name: string): Promise<void> {
  return api.delete<void>(`/queues/${encodeURIComponent(name)}`);
}
