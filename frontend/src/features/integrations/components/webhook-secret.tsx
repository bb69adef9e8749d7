import { useEffect, useRef, useState } from 'preact/hooks';
import type { CreatedWebhookEndpoint } from '@/types/api';

type CopyState = 'idle' | 'copied' | 'failed';

/** The endpoint's signing secret, shown this once: focus moves here so no one misses it. */
export function WebhookSecret({ endpoint, onDone }: { endpoint: CreatedWebhookEndpoint; onDone: () => void }) {
  const [copy, setCopy] = useState<CopyState>('idle');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const copySecret = () => {
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (!clipboard) return setCopy('failed');
    clipboard.writeText(endpoint.secret).then(
      () => setCopy('copied'),
      () => setCopy('failed'),
    );
  };
  return (
    <section class="notice notice--success webhook-secret" aria-labelledby="webhook-secret-heading">
      <h3 id="webhook-secret-heading" class="notice__title" tabIndex={-1} ref={heading}>
        Endpoint added: copy its signing secret now
      </h3>
      <p class="webhook-secret__warning">
        <strong>This secret will not be shown again.</strong> Your receiver needs it to check the{' '}
        <code>webhook-signature</code> header of every request (Standard Webhooks). If you lose it, delete the endpoint
        and add it again.
      </p>
      <p>
        <span class="visually-hidden">Signing secret for {endpoint.url}: </span>
        <code class="secret">{endpoint.secret}</code>
      </p>
      <div class="notice__actions">
        <button type="button" class="button" onClick={copySecret}>
          {copy === 'copied' ? 'Copied' : 'Copy secret'}
        </button>
        <button type="button" class="button button--primary" onClick={onDone}>
          I have stored it
        </button>
      </div>
      <p class="save-status" role="status">
        {copy === 'copied' && 'The secret is on your clipboard.'}
        {copy === 'failed' && 'Could not copy: select the secret and copy it yourself.'}
      </p>
    </section>
  );
}
