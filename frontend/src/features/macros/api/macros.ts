import { useQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Macro, MacroApplied, MacroInput, MacroPreview, Merged, Page, Ticket } from '@/types/api';

/** GET /macros: the caller's personal macros and the workspace's shared ones. */
export function useMacros(enabled = true) {
  return useQuery({
    queryKey: queryKeys.macros,
    queryFn: ({ signal }) => api.get<Page<Macro>>('/macros', { signal }),
    staleTime: 30_000,
    enabled,
  });
}

export function createMacro(input: MacroInput): Promise<Macro> {
  return api.post<Macro>('/macros', input);
}

export function updateMacro(id: string, input: Partial<MacroInput>): Promise<Macro> {
  return api.patch<Macro>(`/macros/${encodeURIComponent(id)}`, input);
}

export function deleteMacro(id: string): Promise<void> {
  return api.delete(`/macros/${encodeURIComponent(id)}`);
}

export function previewMacro(id: string, ticketId: string, signal?: AbortSignal): Promise<MacroPreview> {
  return api.get<MacroPreview>(`/macros/${encodeURIComponent(id)}/preview`, { query: { ticket: ticketId }, signal });
}

/** Applies a macro to the version of the ticket the agent saw (If-Match). */
export function applyMacro(ticketId: string, macroId: string, version: number): Promise<MacroApplied> {
  return api.post<MacroApplied>(
    `/tickets/${encodeURIComponent(ticketId)}/macros/${encodeURIComponent(macroId)}`,
    undefined,
    { headers: { 'If-Match': String(version) } },
  );
}

export function mergeTicket(ticketId: string, into: string, version: number): Promise<Merged> {
  return api.post<Merged>(`/tickets/${encodeURIComponent(ticketId)}/merge`, { into, version });
}

/** Tickets a duplicate could be merged into: by words (search), or the same requester's. */
export function findTickets(words: string, requester: string, signal?: AbortSignal): Promise<Page<Ticket>> {
  const query = words.trim() ? { q: words.trim(), limit: 10 } : { requester, limit: 10 };
  return api.get<Page<Ticket>>('/tickets', { query, signal });
}

/** A macro's actions in words, for lists and the picker. */
export function describeActions(macro: Pick<Macro, 'actions' | 'reply'>): string[] {
  const words = macro.actions.map((action) => {
    switch (action.type) {
      case 'set_status':
        return `status → ${action.status.replace('_', ' ')}`;
      case 'set_priority':
        return `priority → ${action.priority}`;
      case 'set_queue':
        return `queue → ${action.queue}`;
      case 'add_tags':
        return `add ${action.tags.join(', ')}`;
      case 'remove_tags':
        return `remove ${action.tags.join(', ')}`;
      case 'set_assignee':
        return action.assignee === 'router'
          ? 'hand to automatic assignment'
          : action.assignee === 'unassign'
            ? 'unassign'
            : 'assign';
    }
  });
  if (macro.reply) words.push(macro.reply.public ? 'public reply' : 'internal note');
  return words;
}
