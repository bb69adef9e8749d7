import { useMutation, useQueryClient } from '@tanstack/preact-query';
import { RelativeTime } from '@/components/relative-time';
import { ErrorMessage, Loading } from '@/components/status';
import { endMySession, mySessionsKey, useMySessions } from '../api/people';

/** Where I am signed in: each session's device, address and last use; sign one out. */
export function MySessions() {
  const queryClient = useQueryClient();
  const sessions = useMySessions();
  const end = useMutation({
    mutationFn: endMySession,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: mySessionsKey }),
  });
  if (sessions.isPending) return <Loading label="Loading your sessions…" />;
  if (sessions.isError) return <ErrorMessage error={sessions.error} onRetry={() => void sessions.refetch()} />;
  return (
    <>
      {end.isError && <ErrorMessage error={end.error} />}
      <ul class="my-sessions">
        {sessions.data.items.map((s) => (
          <li key={s.id} class="my-sessions__item">
            <div>
              <strong>{s.device}</strong>
              {s.current && <span class="badge badge--on"> This session</span>}
              <p class="muted small">
                {s.source_ip ?? 'unknown address'} · signed in <RelativeTime iso={s.created_at} /> · last used{' '}
                <RelativeTime iso={s.last_used_at} />
              </p>
            </div>
            {!s.current && (
              <button
                type="button"
                class="button button--small"
                disabled={end.isPending}
                onClick={() => end.mutate(s.id)}
              >
                Sign out <span class="visually-hidden">{s.device}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
