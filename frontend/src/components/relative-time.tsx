import { formatDateTime, formatRelative } from '@/lib/format';
import { useMinuteClock } from '@/lib/sla-clock';

/**
 * "2 hours ago", with the exact time shown on hover and on keyboard focus (and read after it by
 * screen readers); it keeps itself current every minute.
 */
export function RelativeTime({ iso }: { iso: string }) {
  const now = useMinuteClock();
  return (
    <time class="relative-time" dateTime={iso} tabIndex={0}>
      {formatRelative(iso, now)}
      <span class="relative-time__exact">{formatDateTime(iso)}</span>
    </time>
  );
}
