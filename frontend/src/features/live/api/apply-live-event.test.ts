import { QueryClient } from '@tanstack/preact-query';
import { describe, expect, it } from 'vitest';
import { queryKeys } from '@/lib/query-keys';
import { makeTicket } from '@/test/fake-api';
import type { Ticket, TicketWithComments } from '@/types/api';
import { applyLiveEvent, latestCachedUpdate, type TicketListData } from './apply-live-event';
import { catchUp } from './catch-up';

function listData(tickets: Ticket[]): TicketListData {
  return { pages: [{ items: tickets, next_cursor: null }], pageParams: [undefined] };
}

function cacheWith(search: string, tickets: Ticket[]) {
  const queryClient = new QueryClient();
  queryClient.setQueryData(queryKeys.ticketList(search), listData(tickets));
  return queryClient;
}

const listed = (queryClient: QueryClient, search: string) =>
  queryClient.getQueryData<TicketListData>(queryKeys.ticketList(search))!.pages[0].items;

describe('applyLiveEvent', () => {
  it('GIVEN a cached ticket WHEN a newer version arrives THEN it is updated in place', () => {
    const queryClient = cacheWith('', [makeTicket({ version: 3, status: 'open' })]);

    const applied = applyLiveEvent(
      queryClient,
      {
        type: 'ticket.updated',
        ticket: makeTicket({ version: 4, status: 'pending' }),
        changes: { status: ['open', 'pending'] },
      },
      'u-me',
    );

    expect(listed(queryClient, '')[0]).toMatchObject({ version: 4, status: 'pending' });
    expect(applied).toEqual({ ticketId: 't1', announcement: 'Ticket #1001 updated (status)' });
  });

  it('ignores an event whose version is older than (or equal to) the cached one', () => {
    const queryClient = cacheWith('', [makeTicket({ version: 5, status: 'solved' })]);

    expect(
      applyLiveEvent(queryClient, { type: 'ticket.updated', ticket: makeTicket({ version: 4, status: 'open' }) }, null),
    ).toBeNull();
    expect(
      applyLiveEvent(queryClient, { type: 'ticket.updated', ticket: makeTicket({ version: 5, status: 'open' }) }, null),
    ).toBeNull();
    expect(listed(queryClient, '')[0]).toMatchObject({ version: 5, status: 'solved' });
  });

  it('puts a new ticket on top of lists it matches, and not into others', () => {
    const queryClient = cacheWith('priority=urgent', [makeTicket({ id: 'old', priority: 'urgent' })]);
    queryClient.setQueryData(queryKeys.ticketList('priority=low'), listData([]));

    applyLiveEvent(
      queryClient,
      { type: 'ticket.created', ticket: makeTicket({ id: 'new', priority: 'urgent' }) },
      null,
    );

    expect(listed(queryClient, 'priority=urgent').map((t) => t.id)).toEqual(['new', 'old']);
    expect(listed(queryClient, 'priority=low')).toEqual([]);
  });

  it('does not insert into keyword-search results or lists sorted by something else', () => {
    const queryClient = cacheWith('q=printer', []);
    queryClient.setQueryData(queryKeys.ticketList('sort=created_at'), listData([]));
    expect(applyLiveEvent(queryClient, { type: 'ticket.created', ticket: makeTicket() }, null)).toBeNull();
  });

  it('updates the open ticket page and appends a new comment once', () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData<TicketWithComments>(queryKeys.ticket('t1'), {
      ticket: makeTicket({ version: 1 }),
      comments: [],
      watchers: [],
    });
    const comment = {
      id: 'c1',
      body: 'On it',
      public: false,
      author: { id: 'u2', name: 'Ben', kind: 'agent' },
      created_at: '2025-01-03T00:00:00Z',
    };
    const event = { type: 'comment.created', ticket: makeTicket({ version: 2 }), comment };

    expect(applyLiveEvent(queryClient, event, null)?.announcement).toBe('New internal note on ticket #1001');
    applyLiveEvent(queryClient, event, null);

    const detail = queryClient.getQueryData<TicketWithComments>(queryKeys.ticket('t1'))!;
    expect(detail.ticket.version).toBe(2);
    expect(detail.comments).toEqual([comment]);
  });

  it('shows who watches an open ticket without touching its version', () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData<TicketWithComments>(queryKeys.ticket('t1'), {
      ticket: makeTicket({ version: 3 }),
      comments: [],
      watchers: [],
    });

    expect(
      applyLiveEvent(queryClient, { type: 'ticket.watchers', ticket_id: 't1', watchers: ['u2'] }, null),
    ).toBeNull();

    const detail = queryClient.getQueryData<TicketWithComments>(queryKeys.ticket('t1'))!;
    expect(detail.watchers).toEqual(['u2']);
    expect(detail.ticket.version).toBe(3);
  });

  it('names the changed fields whether the server lists them or keys them', () => {
    const queryClient = cacheWith('', [makeTicket({ version: 1 })]);
    const applied = applyLiveEvent(
      queryClient,
      {
        type: 'ticket.updated',
        ticket: makeTicket({ version: 2 }),
        changes: [{ field: 'assignee_id', from: null, to: 'u1' }, 'tags'],
      },
      null,
    );
    expect(applied?.announcement).toBe('Ticket #1001 updated (assignee, tags)');
  });

  it('ignores malformed and unrelated events', () => {
    const queryClient = cacheWith('', [makeTicket()]);
    expect(applyLiveEvent(queryClient, { type: 'ticket.updated', ticket: { id: 't1' } }, null)).toBeNull();
    expect(applyLiveEvent(queryClient, { type: 'pong' }, null)).toBeNull();
  });
});

describe('catchUp', () => {
  it('merges every ticket changed since the last one seen, following the cursor', async () => {
    const queryClient = cacheWith('', [
      makeTicket({ id: 'a', version: 1, updated_at: '2025-01-02T10:00:00Z' }),
      makeTicket({ id: 'b', version: 1 }),
    ]);
    const since = latestCachedUpdate(queryClient);
    const pages: Record<string, { items: Ticket[]; next_cursor: string | null }> = {
      first: {
        items: [makeTicket({ id: 'a', version: 2, status: 'solved', updated_at: '2025-01-03T00:00:00Z' })],
        next_cursor: 'c2',
      },
      c2: { items: [makeTicket({ id: 'b', version: 1 })], next_cursor: null },
    };
    const requested: [string, string | undefined][] = [];

    const changed = await catchUp(queryClient, since, null, async (from, cursor) => {
      requested.push([from, cursor]);
      return pages[cursor ?? 'first'];
    });

    expect(requested).toEqual([
      ['2025-01-02T10:00:00Z', undefined],
      ['2025-01-02T10:00:00Z', 'c2'],
    ]);
    expect(changed).toEqual(['a']);
    expect(listed(queryClient, '').find((t) => t.id === 'a')).toMatchObject({ status: 'solved', version: 2 });
  });
});
