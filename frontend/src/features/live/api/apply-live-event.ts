import type { InfiniteData, QueryClient } from '@tanstack/preact-query';
import type { LiveEvent } from '@/lib/live-socket';
import { queryKeys } from '@/lib/query-keys';
import { DEFAULT_SORT, filtersFromSearch, ticketMatchesFilters, type TicketFilters } from '@/lib/ticket-filters';
import type { Comment, Page, Ticket, TicketSummary, TicketWithComments } from '@/types/api';

export type TicketListData = InfiniteData<Page<Ticket>, string | undefined>;

export interface AppliedChange {
  ticketId: string;
  announcement: string;
}

function isTicketSummary(value: unknown): value is TicketSummary {
  const t = value as TicketSummary | null;
  return !!t && typeof t === 'object' && typeof t.id === 'string' && typeof t.version === 'number';
}

/** The merged ticket, or null when the incoming version is not newer than the cached one. */
export function mergeTicket<T extends TicketSummary>(cached: T, incoming: TicketSummary): T | null {
  if (incoming.version <= cached.version) return null;
  return { ...cached, ...incoming };
}

/**
 * One list's cache after an event: a ticket it holds is updated in place (never with an older
 * version); a ticket it lacks is put on top if it now matches the list's filters and the list
 * is sorted by most recently updated. Returns the same object when nothing changed.
 */
export function applyTicketToList(
  data: TicketListData,
  incoming: TicketSummary,
  filters: TicketFilters,
  currentUserId: string | null,
): TicketListData {
  for (let p = 0; p < data.pages.length; p++) {
    const index = data.pages[p].items.findIndex((t) => t.id === incoming.id);
    if (index === -1) continue;
    const merged = mergeTicket(data.pages[p].items[index], incoming);
    if (!merged) return data;
    const pages = data.pages.map((page, i) =>
      i === p ? { ...page, items: page.items.map((t, j) => (j === index ? merged : t)) } : page,
    );
    return { ...data, pages };
  }
  const belongs = filters.sort === DEFAULT_SORT && ticketMatchesFilters(incoming, filters, currentUserId) === true;
  if (!belongs || data.pages.length === 0) return data;
  const [first, ...rest] = data.pages;
  return { ...data, pages: [{ ...first, items: [incoming as Ticket, ...first.items] }, ...rest] };
}

/** Applies a ticket to every cached list and to its ticket page; true if any cache changed. */
export function applyTicket(queryClient: QueryClient, incoming: TicketSummary, currentUserId: string | null): boolean {
  let changed = false;
  for (const [key, data] of queryClient.getQueriesData<TicketListData>({ queryKey: queryKeys.ticketLists })) {
    if (!data) continue;
    const filters = filtersFromSearch(String(key[2] ?? ''));
    const next = applyTicketToList(data, incoming, filters, currentUserId);
    if (next !== data) {
      queryClient.setQueryData(key, next);
      changed = true;
    }
  }
  const detail = queryClient.getQueryData<TicketWithComments>(queryKeys.ticket(incoming.id));
  const merged = detail && mergeTicket(detail.ticket, incoming);
  if (detail && merged) {
    queryClient.setQueryData<TicketWithComments>(queryKeys.ticket(incoming.id), { ...detail, ticket: merged });
    void queryClient.invalidateQueries({ queryKey: queryKeys.ticketHistory(incoming.id) });
    changed = true;
  }
  return changed;
}

export function applyComment(queryClient: QueryClient, ticketId: string, comment: Comment): boolean {
  const detail = queryClient.getQueryData<TicketWithComments>(queryKeys.ticket(ticketId));
  if (!detail || detail.comments.some((c) => c.id === comment.id)) return false;
  queryClient.setQueryData<TicketWithComments>(queryKeys.ticket(ticketId), {
    ...detail,
    comments: [...detail.comments, comment],
  });
  return true;
}

/** `changes` may be a list of field names, a list of `{field, from, to}`, or an object keyed by field. */
function changedFields(changes: unknown): string[] {
  if (Array.isArray(changes)) {
    return changes
      .map((c) => (typeof c === 'string' ? c : (c as { field?: unknown })?.field))
      .filter((f): f is string => typeof f === 'string');
  }
  return changes && typeof changes === 'object' ? Object.keys(changes) : [];
}

function describeChanges(changes: unknown): string {
  const fields = changedFields(changes).map((field) =>
    field === 'assignee_id' ? 'assignee' : field.replace(/_/g, ' '),
  );
  return fields.length ? ` (${fields.join(', ')})` : '';
}

/** Applies one server event to the caches; what changed and what to announce, or null. */
export function applyLiveEvent(
  queryClient: QueryClient,
  event: LiveEvent,
  currentUserId: string | null,
): AppliedChange | null {
  const ticket = isTicketSummary(event.ticket) ? event.ticket : null;
  switch (event.type) {
    case 'ticket.created':
      if (!ticket || !applyTicket(queryClient, ticket, currentUserId)) return null;
      return { ticketId: ticket.id, announcement: `New ticket #${ticket.number}: ${ticket.subject}` };
    case 'ticket.updated':
      if (!ticket || !applyTicket(queryClient, ticket, currentUserId)) return null;
      return { ticketId: ticket.id, announcement: `Ticket #${ticket.number} updated${describeChanges(event.changes)}` };
    case 'comment.created': {
      const comment = event.comment as Comment | undefined;
      const ticketId = ticket?.id ?? (typeof event.ticket_id === 'string' ? event.ticket_id : null);
      if (!ticketId) return null;
      const ticketChanged = ticket ? applyTicket(queryClient, ticket, currentUserId) : false;
      const commentAdded =
        comment && typeof comment.id === 'string' ? applyComment(queryClient, ticketId, comment) : false;
      if (!ticketChanged && !commentAdded) return null;
      const what = comment && !comment.public ? 'internal note' : 'reply';
      return { ticketId, announcement: `New ${what} on ticket${ticket ? ` #${ticket.number}` : ''}` };
    }
    case 'ticket.watchers':
      if (typeof event.ticket_id === 'string' && Array.isArray(event.watchers)) {
        applyWatchers(queryClient, event.ticket_id, event.watchers as string[]);
      }
      return null; // nothing to highlight or announce in lists
    default:
      return null;
  }
}

/** Who watches a ticket, on its open page (following never changes the ticket's version). */
export function applyWatchers(queryClient: QueryClient, ticketId: string, watchers: string[]): void {
  const detail = queryClient.getQueryData<TicketWithComments>(queryKeys.ticket(ticketId));
  if (detail) queryClient.setQueryData<TicketWithComments>(queryKeys.ticket(ticketId), { ...detail, watchers });
}

/** The newest `updated_at` among cached tickets: where catch-up starts after a disconnect. */
export function latestCachedUpdate(queryClient: QueryClient): string | null {
  let latest: string | null = null;
  const consider = (value: string | undefined) => {
    if (value && (!latest || value > latest)) latest = value;
  };
  for (const [, data] of queryClient.getQueriesData<TicketListData>({ queryKey: queryKeys.ticketLists })) {
    data?.pages.forEach((page) => page.items.forEach((t) => consider(t.updated_at)));
  }
  for (const [, data] of queryClient.getQueriesData<TicketWithComments>({ queryKey: ['ticket'] })) {
    consider((data as TicketWithComments | undefined)?.ticket?.updated_at);
  }
  return latest;
}
