import { type LiveStatus, useLiveStatus } from '@/lib/live-socket';

const LABELS: Record<LiveStatus, { text: string; title: string }> = {
  live: { text: 'Live', title: 'Connected: changes appear as they happen' },
  connecting: { text: 'Connecting', title: 'Connecting to live updates' },
  reconnecting: { text: 'Reconnecting', title: 'Connection lost; reconnecting and catching up' },
  offline: { text: 'Offline', title: 'No live updates; the list may be out of date' },
};

export function LiveIndicator() {
  const status = useLiveStatus();
  const { text, title } = LABELS[status];
  return (
    <p class={`live-indicator live-indicator--${status}`} title={title} role="status">
      <span class="live-indicator__dot" aria-hidden="true" />
      <span class="visually-hidden">Live updates: </span>
      <span class="live-indicator__text">{text}</span>
    </p>
  );
}
