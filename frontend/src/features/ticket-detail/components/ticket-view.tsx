import { useMutation, useQueryClient } from '@tanstack/preact-query';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { assigneeChoices } from '@/components/assignee-picker';
import { SlaBadge } from '@/components/sla-badge';
import { ErrorMessage, Loading } from '@/components/status';
import { useAgentRoom, useQueues, useTags } from '@/lib/desk-api';
import { useCan, useMe } from '@/lib/auth';
import { useDocumentTitle } from '@/lib/document-title';
import { formatDateTime } from '@/lib/format';
import { queryKeys } from '@/lib/query-keys';
import { useUsers } from '@/lib/users';
import type { Comment, Ticket, TicketWithComments } from '@/types/api';
import { TicketConflict, type TicketPatch, updateTicket, useTicket } from '../api/ticket';
import { ChannelBadge } from './channel-badge';
import { type Conflict, ConflictNotice } from './conflict-notice';
import { Conversation } from './conversation';
import { HistoryList } from './history-list';
import { PresenceBar } from './presence-bar';
import { ReplyBox } from './reply-box';
import { SuppressedMark } from './suppressed-mark';
import { TakeButton } from './take-button';
import { TicketFields } from './ticket-fields';
import { TicketTabs, type TicketTab } from './ticket-tabs';
import { WatchersPanel } from './watchers';

/** Keeps the cached ticket, never replacing it with an older version. */
function useTicketCache(id: string) {
  const queryClient = useQueryClient();
  const setTicket = (ticket: Ticket) => {
    queryClient.setQueryData<TicketWithComments>(queryKeys.ticket(id), (old) =>
      old && ticket.version >= old.ticket.version ? { ...old, ticket } : old,
    );
    void queryClient.invalidateQueries({ queryKey: queryKeys.ticketLists, refetchType: 'none' });
    void queryClient.invalidateQueries({ queryKey: queryKeys.ticketHistory(id) });
  };
  const addComment = (comment: Comment, ticket?: Ticket) => {
    queryClient.setQueryData<TicketWithComments>(queryKeys.ticket(id), (old) =>
      old && !old.comments.some((c) => c.id === comment.id) ? { ...old, comments: [...old.comments, comment] } : old,
    );
    // A public reply can move the ticket (new → open): take the server's new state.
    if (ticket) setTicket(ticket);
    else void queryClient.invalidateQueries({ queryKey: queryKeys.ticket(id), exact: true });
  };
  return { setTicket, addComment };
}

/** Extra actions for the ticket's header (the app composes them from other features); `changed`
 * takes a ticket (and comment) the action wrote into this page's cache. */
export type TicketHeaderActions = (
  ticket: Ticket,
  changed: (ticket: Ticket, comment: Comment | null) => void,
) => ComponentChildren;

export function TicketView({ ticketId, actions }: { ticketId: string; actions?: TicketHeaderActions }) {
  const query = useTicket(ticketId);
  useDocumentTitle(query.data ? `#${query.data.ticket.number} ${query.data.ticket.subject}` : 'Ticket');
  const me = useMe();
  const usersQuery = useUsers();
  const users = usersQuery.data?.items ?? [];
  const canWrite = useCan('tickets.write');
  const canAssign = useCan('tickets.assign');
  const cache = useTicketCache(ticketId);
  const [tab, setTab] = useState<TicketTab>('conversation');
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const room = useAgentRoom(canAssign);
  const queues = useQueues(canWrite);
  const tags = useTags(canWrite);

  const save = useMutation({
    // `seen` is the ticket the agent edited: a conflict is described against it.
    mutationFn: ({ seen, patch }: { seen: Ticket; patch: TicketPatch }) => updateTicket(ticketId, seen.version, patch),
    onSuccess: (ticket) => {
      setConflict(null);
      cache.setTicket(ticket);
    },
    onError: (error, { seen }) => {
      if (!(error instanceof TicketConflict)) return;
      setConflict({ seen, current: error.current, attempted: error.attempted });
      cache.setTicket(error.current);
    },
  });

  if (query.isPending) return <Loading label="Loading ticket…" />;
  if (query.isError) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;

  const { ticket, comments, watchers } = query.data;
  const myId = me.data?.user.id;
  const canTake = canWrite && !ticket.assignee_id && !['solved', 'closed'].includes(ticket.status);
  const queueNames = [...new Set([...(queues.data?.items ?? []).map((q) => q.name), ticket.queue])].sort();
  const nameOf = (userId: unknown) =>
    typeof userId === 'string' && userId ? (users.find((u) => u.id === userId)?.name ?? 'Someone') : 'Unassigned';

  return (
    <article class="ticket-page">
      <header class="ticket-page__header">
        <p class="ticket-page__number">
          Ticket #{ticket.number} ·{' '}
          <ChannelBadge channel={ticket.channel} sender={ticket.channel === 'email' ? ticket.requester.email : null} />
          {typeof ticket.follow_up_of === 'number' && <> · follows up #{ticket.follow_up_of}</>}
          {ticket.merged_into && (
            <>
              {' '}
              · merged into <a href={`/tickets/${ticket.merged_into.id}`}>#{ticket.merged_into.number}</a>
            </>
          )}
        </p>
        <h1 class="ticket-page__subject">{ticket.subject}</h1>
        <p class="ticket-page__requester">
          From <strong>{ticket.requester.name || ticket.requester.email}</strong>
          {ticket.requester.name && <span class="muted"> &lt;{ticket.requester.email}&gt;</span>} · opened{' '}
          <time dateTime={ticket.created_at}>{formatDateTime(ticket.created_at)}</time>
        </p>
        <SuppressedMark ticketId={ticket.id} />
        {(ticket.sla_due_at || ticket.sla.paused || canTake) && (
          <div class="ticket-page__actions">
            {(ticket.sla_due_at || ticket.sla.paused) && (
              <p class="ticket-page__sla">
                <SlaBadge ticket={ticket} />
                {ticket.sla_due_at && !ticket.sla.paused && (
                  <span class="muted small">
                    {' '}
                    due <time dateTime={ticket.sla_due_at}>{formatDateTime(ticket.sla_due_at)}</time>
                  </span>
                )}
                {ticket.sla.policy_name && <span class="muted small"> · {ticket.sla.policy_name}</span>}
              </p>
            )}
            {canTake && myId && (
              <TakeButton
                busy={save.isPending}
                onTake={() => save.mutate({ seen: ticket, patch: { assignee_id: myId } })}
              />
            )}
          </div>
        )}
        <PresenceBar ticketId={ticket.id} myUserId={me.data?.user.id} />
        {canWrite &&
          actions?.(ticket, (updated, comment) =>
            comment ? cache.addComment(comment, updated) : cache.setTicket(updated),
          )}
      </header>

      {conflict && (
        <ConflictNotice
          conflict={conflict}
          nameOf={nameOf}
          onReapply={() => save.mutate({ seen: conflict.current, patch: conflict.attempted })}
          onDismiss={() => setConflict(null)}
        />
      )}
      {save.isError && !(save.error instanceof TicketConflict) && <ErrorMessage error={save.error} />}

      <div class="ticket-page__layout">
        <div class="ticket-page__main">
          <TicketTabs selected={tab} onSelect={setTab} />
          {tab === 'conversation' ? (
            <div role="tabpanel" id="panel-conversation" aria-labelledby="tab-conversation" tabIndex={0}>
              <Conversation ticket={ticket} comments={comments} />
              {canWrite && <ReplyBox ticketId={ticket.id} onSent={cache.addComment} />}
            </div>
          ) : (
            <div role="tabpanel" id="panel-history" aria-labelledby="tab-history" tabIndex={0}>
              <HistoryList ticketId={ticket.id} nameOf={nameOf} />
            </div>
          )}
        </div>
        <aside class="ticket-page__side stack">
          <TicketFields
            ticket={ticket}
            users={users}
            canWrite={canWrite}
            canAssign={canAssign}
            saving={save.isPending}
            onSave={(patch) => save.mutate({ seen: ticket, patch })}
            assigneeChoices={
              canAssign
                ? assigneeChoices(
                    users,
                    room.data?.items,
                    queues.data?.items.find((q) => q.name === ticket.queue),
                  )
                : undefined
            }
            queueSuggestions={queueNames}
            tagSuggestions={(tags.data?.items ?? []).map((t) => t.tag)}
          />
          <WatchersPanel
            ticketId={ticket.id}
            watcherIds={watchers}
            users={users}
            namesLoading={usersQuery.isPending}
            myUserId={me.data?.user.id}
            canManage={canAssign}
          />
        </aside>
      </div>
    </article>
  );
}
