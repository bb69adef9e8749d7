import { useMutation, useQueryClient } from '@tanstack/preact-query';
import { useState } from 'preact/hooks';
import { Empty, ErrorMessage, errorMessage, Loading } from '@/components/status';
import { useCan } from '@/lib/auth';
import { formatDateTime } from '@/lib/format';
import { queryKeys } from '@/lib/query-keys';
import type { DeadLetter } from '@/types/api';
import { channelLabel, replayDeadLetter, useDeadLetters } from '../api/dead-letters';
import { useWebhookEndpoints } from '../api/webhooks';

/** Who or what a letter was for: a webhook endpoint's URL when it is known, else the raw target. */
function useTargetName(): (letter: DeadLetter) => string {
  const endpoints = useWebhookEndpoints(useCan('webhooks.manage'));
  return (letter) => {
    if (letter.channel === 'webhook') {
      return endpoints.data?.items.find((e) => e.id === letter.target)?.url ?? letter.target;
    }
    return letter.target;
  };
}

/** Notifications given up on after every retry, with a Replay button each (a letter replays once). */
export function DeadLetters() {
  const letters = useDeadLetters();
  const queryClient = useQueryClient();
  const targetName = useTargetName();
  const [replayed, setReplayed] = useState('');
  const replay = useMutation({
    mutationFn: (letter: DeadLetter) => replayDeadLetter(letter.id),
    onSuccess: (_answer, letter) => {
      setReplayed(`Replaying the ${channelLabel(letter.channel).toLowerCase()} for ${letter.event_type}.`);
      void queryClient.invalidateQueries({ queryKey: queryKeys.deadLetters });
    },
  });

  if (letters.isPending) return <Loading label="Loading failed notifications…" />;
  if (letters.isError) return <ErrorMessage error={letters.error} onRetry={() => void letters.refetch()} />;
  const items = letters.data.pages.flatMap((page) => page.items);
  if (items.length === 0) {
    return (
      <Empty title="No failed notifications.">
        <p class="muted">Emails, Slack alerts and webhooks that still fail after every retry are listed here.</p>
      </Empty>
    );
  }
  const caption = 'Failed notifications, newest first';

  return (
    <div class="stack">
      <div class="table-scroll" tabIndex={0} role="region" aria-label={caption}>
        <table class="data-table">
          <caption class="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Channel</th>
              <th scope="col">Event</th>
              <th scope="col">Target</th>
              <th scope="col">Error</th>
              <th scope="col" class="num">
                Attempts
              </th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((letter) => (
              <tr key={letter.id}>
                <td class="cell--nowrap">
                  <time dateTime={letter.at}>{formatDateTime(letter.at)}</time>
                </td>
                <td>{channelLabel(letter.channel)}</td>
                <td>
                  <code>{letter.event_type}</code>
                </td>
                <td class="cell--target">{targetName(letter)}</td>
                <td class="cell--error">{letter.error}</td>
                <td class="num">{letter.attempts}</td>
                <td>
                  {letter.replayed_at ? (
                    <span class="muted small">
                      Replayed <time dateTime={letter.replayed_at}>{formatDateTime(letter.replayed_at)}</time>
                    </span>
                  ) : (
                    <button
                      type="button"
                      class="button button--small"
                      onClick={() => {
                        if (replay.isPending) return;
                        setReplayed('');
                        replay.mutate(letter);
                      }}
                    >
                      Replay{' '}
                      <span class="visually-hidden">
                        {letter.event_type} to {targetName(letter)}
                      </span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="save-status" role="status">
        {replayed}
      </p>
      {replay.isError && (
        <p class="form__error" role="alert">
          Could not replay: {errorMessage(replay.error)}
        </p>
      )}
      {letters.hasNextPage && (
        <button
          type="button"
          class="button"
          onClick={() => void letters.fetchNextPage()}
          disabled={letters.isFetchingNextPage}
        >
          {letters.isFetchingNextPage ? 'Loading more…' : 'Load older'}
        </button>
      )}
    </div>
  );
}
