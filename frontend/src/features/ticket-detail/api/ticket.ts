import { useQuery } from '@tanstack/preact-query';
import { api, isApiError } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type {
  Comment,
  HistoryEntry,
  Page,
  Ticket,
  TicketPriority,
  TicketStatus,
  TicketWithComments,
} from '@/types/api';

export function useTicket(id: string) {
  return useQuery({
    queryKey: queryKeys.ticket(id),
    queryFn: ({ signal }) => api.get<TicketWithComments>(`/tickets/${encodeURIComponent(id)}`, { signal }),
  });
}

export function useTicketHistory(id: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.ticketHistory(id),
    queryFn: ({ signal }) => api.get<Page<HistoryEntry>>(`/tickets/${encodeURIComponent(id)}/history`, { signal }),
    enabled,
  });
}

export interface TicketPatch {
  status?: TicketStatus;
  priority?: TicketPriority;
  assignee_id?: string | null;
  queue?: string | null;
  tags?: string[];
}

/** Thrown when the ticket changed since `version`: carries the server's current ticket. */
export class TicketConflict extends Error {
  override name = 'TicketConflict';
  constructor(
    readonly current: Ticket,
    readonly attempted: TicketPatch,
  ) {
    super('Someone else changed this ticket first.');
  }
}

function unwrapTicket(result: Ticket | { ticket: Ticket }): Ticket {
  return 'ticket' in result && typeof result.ticket === 'object' ? result.ticket : (result as Ticket);
}

/** PATCH with optimistic locking: `If-Match: <version>`; a 409 becomes a TicketConflict. */
export async function updateTicket(id: string, version: number, patch: TicketPatch): Promise<Ticket> {
  try {
    const result = await api.patch<Ticket | { ticket: Ticket }>(`/tickets/${encodeURIComponent(id)}`, patch, {
      headers: { 'If-Match': String(version) },
    });
    return unwrapTicket(result);
  } catch (error) {
    const current = isApiError(error, 409) ? (error.problem.current as Ticket | undefined) : undefined;
    if (current && typeof current === 'object') throw new TicketConflict(current, patch);
    throw error;
  }
}

export interface ReplyDraft {
  body: string;
  isPublic: boolean;
  /** Markdown (the reply box's default) or plain text (what the API takes by default). */
  format?: 'text' | 'markdown';
  cc?: string[];
  /** Upload ids, each file already in S3. */
  attachments?: string[];
}

/** Answers the new comment and, when the server sends it, the ticket as the comment left it. */
export async function addComment(id: string, reply: ReplyDraft): Promise<{ comment: Comment; ticket?: Ticket }> {
  const body: Record<string, unknown> = { body: reply.body, public: reply.isPublic };
  if (reply.format) body.format = reply.format;
  if (reply.cc?.length) body.cc = reply.cc;
  if (reply.attachments?.length) body.attachments = reply.attachments;
  const result = await api.post<Comment | { comment: Comment; ticket?: Ticket }>(
    `/tickets/${encodeURIComponent(id)}/comments`,
    body,
  );
  return 'comment' in result ? result : { comment: result };
}

/** The fields of a patch whose value on the server is no longer what the agent saw. */
export function conflictingChanges(
  seen: Ticket,
  current: Ticket,
): { field: keyof TicketPatch; from: unknown; to: unknown }[] {
  const fields: (keyof TicketPatch)[] = ['status', 'priority', 'assignee_id', 'queue', 'tags'];
  return fields
    .filter((field) => JSON.stringify(seen[field]) !== JSON.stringify(current[field]))
    .map((field) => ({ field, from: seen[field], to: current[field] }));
}
