import { useLocation } from 'preact-iso';
import { Performance } from '@/features/metrics/components/performance';
import type { MetricsFilters } from '@/features/metrics/api/metrics';
import { useDocumentTitle } from '@/lib/document-title';
import type { Channel, TicketPriority } from '@/types/api';

/** The filters live in the URL, so a view of the figures can be shared and Back undoes a change. */
function filtersOf(url: string): MetricsFilters {
  const params = new URLSearchParams(url.split('?')[1] ?? '');
  const days = Number(params.get('days'));
  return {
    days: [7, 30, 90, 365].includes(days) ? days : 30,
    queue: params.get('queue') || undefined,
    priority: (params.get('priority') || undefined) as TicketPriority | undefined,
    channel: (params.get('channel') || undefined) as Channel | undefined,
  };
}

function searchOf(filters: MetricsFilters): string {
  const params = new URLSearchParams();
  if (filters.days !== 30) params.set('days', String(filters.days));
  for (const key of ['queue', 'priority', 'channel'] as const) if (filters[key]) params.set(key, filters[key]!);
  return params.toString();
}

export function PerformancePage() {
  useDocumentTitle('Performance');
  const { url, route } = useLocation();
  const filters = filtersOf(url);
  return (
    <div class="page stack">
      <h1>Performance</h1>
      <Performance
        filters={filters}
        onChange={(next) => {
          const search = searchOf(next);
          route(search ? `/performance?${search}` : '/performance', true);
        }}
      />
    </div>
  );
}
