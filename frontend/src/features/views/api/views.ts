import { useQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { filtersFromSearch, filtersToQuery, filtersToSearch } from '@/lib/ticket-filters';
import type { Page, SavedView, ViewFilters } from '@/types/api';

export interface BuiltInView {
  id: string;
  name: string;
  /** The ticket list's query string for this view. */
  search: string;
}

const OPEN_STATUSES = 'status=new&status=open&status=pending&status=on_hold';

export const BUILT_IN_VIEWS: readonly BuiltInView[] = [
  { id: 'mine', name: 'My open tickets', search: `assignee=me&${OPEN_STATUSES}` },
  { id: 'unassigned', name: 'Unassigned', search: 'assignee=unassigned&status=new&status=open' },
  { id: 'open', name: 'All open', search: OPEN_STATUSES },
  { id: 'urgent', name: 'Urgent', search: 'priority=urgent' },
];

export function useSavedViews() {
  return useQuery({
    queryKey: queryKeys.views,
    queryFn: ({ signal }) => api.get<Page<SavedView>>('/views', { signal }),
    staleTime: 30_000,
  });
}

/** Canonical query string, so "?status=open&priority=high" and its reordering are the same view. */
export function canonicalSearch(search: string): string {
  return filtersToSearch(filtersFromSearch(search));
}

/** A saved view's filters (as the server stores them: lists, nulls, a page size) as a list URL query. */
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
