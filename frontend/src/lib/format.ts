import type { TicketPriority, TicketStatus } from '@/types/api';

export const STATUS_LABELS: Record<TicketStatus, string> = {
  new: 'New',
  open: 'Open',
  pending: 'Pending',
  on_hold: 'On hold',
  solved: 'Solved',
  closed: 'Closed',
};

export const PRIORITY_LABELS: Record<TicketPriority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['week', 604_800],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "5 minutes ago", "yesterday"… falling back to the raw value when it is not a date. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((then - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

/** A short readable form of a changed value in history and conflict notices. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  return (STATUS_LABELS as Record<string, string>)[text] ?? (PRIORITY_LABELS as Record<string, string>)[text] ?? text;
}

/** A history note, whatever its shape: text, or `{automatic, reason, ...}` from the server. */
export function formatNote(note: unknown): string | null {
  if (note === null || note === undefined || note === '') return null;
  if (typeof note === 'string') return note;
  if (typeof note !== 'object') return String(note);
  const record = note as Record<string, unknown>;
  if (typeof record.reason === 'string') return record.automatic ? `Automatic: ${record.reason}` : record.reason;
  return Object.entries(record)
    .map(([key, value]) => `${key.replace(/_/g, ' ')}: ${formatValue(value)}`)
    .join('; ');
}

export function fieldLabel(field: string): string {
  const labels: Record<string, string> = { assignee_id: 'Assignee', tags: 'Tags', queue: 'Queue' };
  return labels[field] ?? field.charAt(0).toUpperCase() + field.slice(1).replace(/_/g, ' ');
}

const BYTE_UNITS = ['KB', 'MB', 'GB'];

/** "512 bytes", "1.5 KB", "12 MB": file sizes as people read them (1 KB = 1,024 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value)} ${BYTE_UNITS[unit]}`;
}
