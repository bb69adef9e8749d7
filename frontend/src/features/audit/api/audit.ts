import { useInfiniteQuery } from '@tanstack/preact-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { AuditEvent, Page } from '@/types/api';

export function useAuditLog() {
  return useInfiniteQuery({
    queryKey: queryKeys.audit,
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AuditEvent>>('/audit', { query: { cursor: pageParam, limit: 50 }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** A person-readable name for an audit actor or target, whatever shape the server sends. */
export function describeParty(party: AuditEvent['actor'] | AuditEvent['target']): string {
  if (!party) return '—';
  if (typeof party === 'string') return party;
  const named = party as { name?: string; type?: string; kind?: string; id?: string | null };
  const label = named.name ?? named.id ?? '';
  const kind = named.type ?? named.kind;
  return kind ? `${kind} ${label}`.trim() : label || '—';
}
