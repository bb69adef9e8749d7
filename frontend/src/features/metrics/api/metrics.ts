import { useQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Channel, Metrics, MetricsGroupBy, TicketPriority } from '@/types/api';

export interface MetricsFilters {
  days: number;
  queue?: string;
  priority?: TicketPriority;
  channel?: Channel;
}

export const PERIODS = [
  { days: 7, label: 'Last 7 days' },
  { days: 30, label: 'Last 30 days' },
  { days: 90, label: 'Last 90 days' },
  { days: 365, label: 'Last 12 months' },
] as const;

/** The query GET /metrics takes for a period ending today: the workspace's today, in its time zone,
 * which the server knows and the browser does not. */
export function metricsQuery(filters: MetricsFilters, groupBy: MetricsGroupBy) {
  return {
    days: filters.days,
    group_by: groupBy,
    queue: filters.queue || undefined,
    priority: filters.priority || undefined,
    channel: filters.channel || undefined,
  };
}

export function useMetrics(filters: MetricsFilters, groupBy: MetricsGroupBy = 'day', enabled = true) {
  const query = metricsQuery(filters, groupBy);
  return useQuery({
    queryKey: queryKeys.metricsFor(JSON.stringify(query)),
    queryFn: ({ signal }) => api.get<Metrics>('/metrics', { query, signal }),
    enabled,
    staleTime: 30_000,
    placeholderData: (previous) => previous,
  });
}
