import { useMutation, useQueryClient } from '@tanstack/preact-query';
import { useEffect, useRef } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ErrorMessage, Loading } from '@/components/status';
import { queryKeys } from '@/lib/query-keys';
import { finishSlackOAuth, startSlackOAuth, useSlackOAuth } from '../api/slack-oauth';

/** "Add to Slack": off to Slack's own consent page; the token paste below stays for deployments without an app. */
export function AddToSlack() {
  const oauth = useSlackOAuth();
  const start = useMutation({
    mutationFn: startSlackOAuth,
    onSuccess: (answer) => window.location.assign(answer.authorize_url),
  });
  if (!oauth.data?.available) return null;
  return (
    <div class="add-to-slack stack">
      <p>
        <button type="button" class="button button--primary" disabled={start.isPending} onClick={() => start.mutate()}>
          {start.isPending ? 'Opening Slack…' : 'Add to Slack'}
        </button>{' '}
        <span class="muted">Slack asks you to choose the channel for alerts; you come back here when done.</span>
      </p>
      {start.isError && <ErrorMessage error={start.error} />}
      <p class="muted small">Or connect by hand: paste a bot token or an incoming-webhook URL below.</p>
    </div>
  );
}

/** Where Slack sends the admin back: hands the code and state to the API with the admin's own sign-in. */
export function SlackOAuthCallback() {
  const { query, route } = useLocation();
  const queryClient = useQueryClient();
  const sent = useRef(false);
  const finish = useMutation({
    mutationFn: () => finishSlackOAuth(query.code ?? '', query.state ?? ''),
    onSuccess: (connection) => {
      queryClient.setQueryData(queryKeys.slack, connection);
      void queryClient.invalidateQueries({ queryKey: ['onboarding'] });
      route('/settings/integrations?slack=connected', true);
    },
  });
  const refused = query.error; // the admin clicked "Cancel" on Slack's page
  useEffect(() => {
    if (sent.current || refused || !query.code) return;
    sent.current = true;
    finish.mutate();
  }, [query.code, refused]);
  return (
    <div class="page stack">
      <h1>Connecting Slack</h1>
      {refused ? (
        <p role="alert">
          Slack was not connected: {refused === 'access_denied' ? 'the request was cancelled.' : refused}
        </p>
      ) : finish.isError ? (
        <ErrorMessage error={finish.error} />
      ) : (
        <Loading label="Finishing the connection with Slack…" />
      )}
      <p>
        <a href="/settings/integrations">Back to Integrations</a>
      </p>
    </div>
  );
}
