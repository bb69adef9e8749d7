import { useInfiniteQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { AuditEvent, Page } from '@/types/api';

export interface AuditFilters {
  actor?: string;
  action?: string;
  /** YYYY-MM-DD, the first day of the period (inclusive). */
  from?: string;
  /** YYYY-MM-DD, the last day of the period (inclusive). */
  to?: string;
}

/** The API's query for the filters: days become instants at the start of the day (local time). */
export function auditQuery(filters: AuditFilters): Record<string, string | undefined> {
  const startOf = (day: string, plusDays = 0) => {
    const date = new Date(`${day}T00:00:00`);
    date.setDate(date.getDate() + plusDays);
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  };
  return {
    actor: filters.actor || undefined,
    action: filters.action || undefined,
    after: filters.from ? startOf(filters.from) : undefined,
    before: filters.to ? startOf(filters.to, 1) : undefined,
  };
}

export function useAuditLog(filters: AuditFilters = {}) {
  return useInfiniteQuery({
    queryKey: [...queryKeys.audit, filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AuditEvent>>('/audit', { query: { ...auditQuery(filters), cursor: pageParam, limit: 50 }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** The CSV of the filtered log (at most 5,000 events), as a file to save. */
export async function downloadAuditCsv(filters: AuditFilters): Promise<void> {
  const text = await api.get<string>('/audit', { query: auditQuery(filters), headers: { Accept: 'text/csv' } });
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'audit.csv';
  link.click();
  URL.revokeObjectURL(url);
}

/** A person-readable name for an audit actor or target, whatever shape the server sends. */
export function describeParty(party: AuditEvent['actor'] | AuditEvent['target']): string {
  if (!party) return '—';
  if (typeof party === 'string') return party;
  const named = party as { name?: string; type?: string; kind?: string; id?: string | null; number?: string };
  if (named.type === 'ticket' && named.number) return `Ticket #${named.number}`;
  if (named.type === 'user' && named.name) return named.name;
  if (named.type === 'system') return 'Pulsedesk (automatic)';
  const label = named.name ?? named.id ?? '';
  const kind = (named.type ?? named.kind)?.replace(/_/g, ' ');
  return kind ? `${kind} ${label}`.trim() : label || '—';
}

const ACTION_WORDS: Record<string, string> = {
  'ticket.created': 'opened a ticket',
  'ticket.updated': 'changed a ticket',
  'ticket.commented': 'replied on a ticket',
  'auth.login': 'signed in',
  'auth.login_failed': 'failed to sign in',
  'auth.logout': 'signed out',
  'user.created': 'added a person',
  'user.updated': 'changed a person',
  'queue.created': 'defined a queue',
  'queue.updated': 'changed a queue',
  'queue.deleted': 'deleted a queue',
  'settings.routing_changed': 'changed routing',
};

/** "changed a ticket" for `ticket.updated`; unknown codes read as their words. */
export function describeAction(action: string): string {
  return ACTION_WORDS[action] ?? action.replace(/[._]/g, ' ');
}

/** Families the filter offers: each matches every action that starts with it. */
export const ACTION_FAMILIES: [string, string][] = [
  ['ticket.', 'Tickets'],
  ['auth.', 'Sign-ins'],
  ['user.', 'People'],
  ['api_key.', 'API keys'],
  ['queue.', 'Queues'],
  ['settings.', 'Settings'],
  ['webhook.', 'Webhooks'],
];
