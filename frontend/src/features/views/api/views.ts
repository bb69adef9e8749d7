import { useQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { filtersFromSearch, filtersToQuery, filtersToSearch } from '@/lib/ticket-filters';
import type { Page, SavedView, ViewFilters } from '@/types/api';

/** A view as the navigation shows it: a name, the list query it opens, and its count. */
export interface NavView {
  id: string;
  name: string;
  /** The ticket list's (canonical) query string for this view. */
  search: string;
  count: number | null;
  /** At least `count` (the server stops counting a very large view). */
  countCapped?: boolean;
  /** Why the view cannot be run (its filters no longer pass the server's checks), or null. */
  problem?: string | null;
  builtin: boolean;
  shared: boolean;
}

const OPEN_STATUSES = ['new', 'open', 'pending', 'on_hold'];
const SLA_AT_RISK_MS = 60 * 60_000;

/**
 * The built-in views as the server defines them (GET /views answers them first, with counts).
 * The client keeps their filters only as a fallback for when that call fails, and for shortcuts.
 */
export function builtInFallback(now: number = Date.now()): NavView[] {
  const views: [string, string, ViewFilters][] = [
    ['builtin:mine', 'My open tickets', { assignee: 'me', status: OPEN_STATUSES }],
    ['builtin:unassigned', 'Unassigned', { assignee: 'unassigned', status: ['new', 'open'] }],
    ['builtin:open', 'All open', { status: OPEN_STATUSES }],
    ['builtin:urgent', 'Urgent', { priority: ['urgent'], status: OPEN_STATUSES }],
    ['builtin:sla-at-risk', 'SLA at risk', { sla_due_before: new Date(now + SLA_AT_RISK_MS).toISOString() }],
    ['builtin:spam', 'Spam', { tag: 'spam' }],
  ];
  return views.map(([id, name, filters]) => ({
    id,
    name,
    search: viewFiltersToSearch(filters),
    count: null,
    builtin: true,
    shared: true,
  }));
}

/** The list query of a built-in view, for keyboard shortcuts (`g i`, `g u`, `g a`). */
export function builtInSearch(id: 'builtin:mine' | 'builtin:unassigned' | 'builtin:open' | 'builtin:urgent'): string {
  return builtInFallback().find((view) => view.id === id)?.search ?? '';
}

/** GET /views: built-in views (with live counts) first, then the saved ones. */
export function useViews() {
  return useQuery({
    queryKey: queryKeys.views,
    queryFn: ({ signal }) => api.get<Page<SavedView>>('/views', { signal }),
    staleTime: 30_000,
  });
}

export function toNavView(view: SavedView): NavView {
  return {
    id: view.id,
    name: view.name,
    search: viewFiltersToSearch(view.filters),
    count: typeof view.count === 'number' ? view.count : null,
    countCapped: view.count_capped === true,
    problem: view.runnable === false ? (view.error?.detail ?? 'Its filters can no longer be run.') : null,
    builtin: view.builtin === true,
    shared: view.shared,
  };
}

/** The built-in and saved views to show: from the API, or the client's built-ins if that call failed. */
export function navViews(data: Page<SavedView> | undefined, failed: boolean): { builtin: NavView[]; saved: NavView[] } {
  if (!data) return { builtin: failed ? builtInFallback() : [], saved: [] };
  const views = data.items.map(toNavView);
  const builtin = views.filter((v) => v.builtin);
  return { builtin: builtin.length ? builtin : builtInFallback(), saved: views.filter((v) => !v.builtin) };
}

/** Canonical query string, so "?status=open&priority=high" and its reordering are the same view. */
export function canonicalSearch(search: string): string {
  return filtersToSearch(filtersFromSearch(search));
}

/** Relative filters ("SLA due within the hour") carry an instant that moves on every refresh. */
const MOVING_FILTERS = ['sla_due_before'];

function withoutMovingFilters(search: string): string {
  const params = new URLSearchParams(search);
  MOVING_FILTERS.forEach((key) => params.has(key) && params.set(key, '*'));
  return params.toString();
}

/** Whether the list's current (canonical) query is this view; moving instants match any instant. */
export function isViewSearch(view: Pick<NavView, 'search'>, current: string): boolean {
  const search = canonicalSearch(view.search);
  return search === current || withoutMovingFilters(search) === withoutMovingFilters(current);
}

/** A view's filters (as the server stores them: lists, nulls, a page size) as a list URL query. */
export function viewFiltersToSearch(filters: ViewFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    values.filter((v) => v !== null && v !== undefined && v !== '').forEach((v) => params.append(key, String(v)));
  }
  return canonicalSearch(params.toString());
}

/** The current list query as a view's filters, in the shape GET /tickets validates. */
export function searchToViewFilters(search: string): ViewFilters {
  const { priority, ...query } = filtersToQuery(filtersFromSearch(search));
  return priority ? { ...query, priority: Array.isArray(priority) ? priority : [priority] } : query;
}

export function createView(input: { name: string; filters: ViewFilters; shared: boolean }): Promise<SavedView> {
  return api.post<SavedView>('/views', input);
}

export function deleteView(id: string): Promise<void> {
  return api.delete(`/views/${encodeURIComponent(id)}`);
}
