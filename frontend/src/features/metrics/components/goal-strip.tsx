import { ErrorMessage } from '@/components/status';
import { useRefetchOnLiveEvents } from '@/lib/live-refetch';
import { queryKeys } from '@/lib/query-keys';
import { useMetrics } from '../api/metrics';
import { GoalCards } from './goal-cards';

const LIVE_REFRESH_MS = 2500; // as the Performance page's (performance.tsx)

/** The four goals of the last 30 days, compact, above the lead's ticket list; links to Performance. */
export function GoalStrip() {
  const metrics = useMetrics({ days: 30 });
  useRefetchOnLiveEvents(queryKeys.metrics, { delayMs: LIVE_REFRESH_MS });
  if (metrics.isError) return <ErrorMessage error={metrics.error} />;
  if (!metrics.data) return null;
  return (
    <section class="goal-strip" aria-labelledby="goal-strip-heading">
      <h2 id="goal-strip-heading" class="goal-strip__heading">
        Last 30 days · <a href="/performance">Performance</a>
      </h2>
      <GoalCards goals={metrics.data.goals} compact />
    </section>
  );
}
