import type { Ticket, TicketPriority, TicketStatus } from '@/types/api';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '@/types/api';

export type TicketSort = '-updated_at' | '-created_at' | 'created_at' | 'priority' | 'sla_due_at';
export const TICKET_SORTS: readonly TicketSort[] = [
  '-updated_at',
  '-created_at',
  'created_at',
  'priority',
  'sla_due_at',
];
export const DEFAULT_SORT: TicketSort = '-updated_at';

/** The ticket list's filters, named as the API's query parameters. */
export interface TicketFilters {
  status: TicketStatus[];
  priority?: TicketPriority;
  /** 'me', 'unassigned' or a user id. */
  assignee?: string;
  queue?: string;
  tag?: string;
  requester?: string;
  created_after?: string;
  created_before?: string;
  updated_after?: string;
  updated_before?: string;
  /** Tickets whose SLA is due before this instant (the "SLA at risk" view). */
  sla_due_before?: string;
  q?: string;
  sort: TicketSort;
}

type TextFilter = Exclude<keyof TicketFilters, 'status' | 'priority' | 'sort'>;
const TEXT_FILTERS: readonly TextFilter[] = [
  'assignee',
  'queue',
  'tag',
  'requester',
  'created_after',
  'created_before',
  'updated_after',
  'updated_before',
  'sla_due_before',
  'q',
];

export const EMPTY_FILTERS: TicketFilters = { status: [], sort: DEFAULT_SORT };

function isOneOf<T extends string>(values: readonly T[], value: string | null): value is T {
  return value !== null && (values as readonly string[]).includes(value);
}

/** Reads filters from a URL query string; unknown or invalid values are dropped. */
export function filtersFromSearch(search: string | URLSearchParams): TicketFilters {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const filters: TicketFilters = {
    status: TICKET_STATUSES.filter((s) => params.getAll('status').includes(s)),
    sort: isOneOf(TICKET_SORTS, params.get('sort')) ? (params.get('sort') as TicketSort) : DEFAULT_SORT,
  };
  const priority = params.get('priority');
  if (isOneOf(TICKET_PRIORITIES, priority)) filters.priority = priority;
  for (const key of TEXT_FILTERS) {
    const value = params.get(key)?.trim();
    if (value) filters[key] = value;
  }
  return filters;
}

/** Writes filters as a canonical query string (stable order, default sort omitted). */
export function filtersToSearch(filters: TicketFilters): string {
  const params = new URLSearchParams();
  TICKET_STATUSES.filter((s) => filters.status.includes(s)).forEach((s) => params.append('status', s));
  if (filters.priority) params.set('priority', filters.priority);
  for (const key of TEXT_FILTERS) {
    const value = filters[key]?.trim();
    if (value) params.set(key, value);
  }
  if (filters.sort !== DEFAULT_SORT) params.set('sort', filters.sort);
  return params.toString();
}

const DATE_FILTERS = new Set<keyof TicketFilters>([
  'created_after',
  'created_before',
  'updated_after',
  'updated_before',
  'sla_due_before',
]);

/** A date picked in the filter bar ("2025-03-01") as the API's timezone-aware instant: local midnight. */
export function dateToInstant(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const local = new Date(`${value}T00:00:00`);
  return Number.isNaN(local.getTime()) ? value : local.toISOString();
}

/** The filters as API query parameters (the sort is always sent; dates become instants). */
export function filtersToQuery(filters: TicketFilters): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = { sort: filters.sort };
  if (filters.status.length) query.status = filters.status;
  if (filters.priority) query.priority = filters.priority;
  for (const key of TEXT_FILTERS) {
    const value = filters[key];
    if (value) query[key] = DATE_FILTERS.has(key) ? dateToInstant(value) : value;
  }
  return query;
}

export function activeFilterCount(filters: TicketFilters): number {
  return (filters.status.length ? 1 : 0) + (filters.priority ? 1 : 0) + TEXT_FILTERS.filter((k) => filters[k]).length;
}

/**
 * Whether a ticket belongs in a list with these filters, or `undefined` when that cannot be told
 * on the client (keyword search ranks on the server).
 */
export function ticketMatchesFilters(
  ticket: Pick<Ticket, 'status' | 'priority' | 'assignee_id' | 'queue' | 'tags' | 'requester' | 'updated_at'> &
    Partial<Pick<Ticket, 'created_at' | 'sla_due_at'>>,
  filters: TicketFilters,
  currentUserId: string | null,
): boolean | undefined {
  if (filters.q) return undefined;
  if (filters.status.length && !filters.status.includes(ticket.status)) return false;
  if (filters.priority && ticket.priority !== filters.priority) return false;
  if (filters.assignee) {
    const wanted =
      filters.assignee === 'me' ? currentUserId : filters.assignee === 'unassigned' ? null : filters.assignee;
    if (ticket.assignee_id !== wanted) return false;
  }
  if (filters.queue && ticket.queue !== filters.queue) return false;
  if (filters.tag && !ticket.tags.includes(filters.tag)) return false;
  if (filters.requester && ticket.requester.email.toLowerCase() !== filters.requester.toLowerCase()) return false;
  const after = (at: string, bound: string) => new Date(at).getTime() > new Date(dateToInstant(bound)).getTime();
  if (filters.updated_after && !after(ticket.updated_at, filters.updated_after)) return false;
  if (filters.updated_before && after(ticket.updated_at, filters.updated_before)) return false;
  if (filters.created_after || filters.created_before) {
    if (!ticket.created_at) return undefined;
    if (filters.created_after && !after(ticket.created_at, filters.created_after)) return false;
    if (filters.created_before && after(ticket.created_at, filters.created_before)) return false;
  }
  if (filters.sla_due_before) {
    if (ticket.sla_due_at === undefined) return undefined;
    if (ticket.sla_due_at === null || !after(filters.sla_due_before, ticket.sla_due_at)) return false;
  }
  return true;
}
