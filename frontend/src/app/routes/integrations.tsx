import { AddToSlack } from '@/features/integrations/components/add-to-slack';
import { DeadLetters } from '@/features/integrations/components/dead-letters';
import { SlackConnection } from '@/features/integrations/components/slack-connection';
import { WebhookEndpoints } from '@/features/integrations/components/webhook-endpoints';
import { Can } from '@/lib/auth';
import { useDocumentTitle } from '@/lib/document-title';

export function IntegrationsPage() {
  useDocumentTitle('Integrations');
  return (
    <div class="page stack integrations-page">
      <h1>Integrations</h1>
      <p class="muted">Send ticket alerts to Slack and ticket events to your own systems.</p>
      <section class="panel stack" aria-labelledby="slack-heading">
        <h2 id="slack-heading">Slack</h2>
        <AddToSlack />
        <SlackConnection />
      </section>
      <Can permission="webhooks.manage">
        <section class="stack" aria-labelledby="webhooks-heading">
          <h2 id="webhooks-heading">Webhooks</h2>
          <p class="muted">
            Pulsedesk POSTs each subscribed event as signed JSON (Standard Webhooks) and retries failures with backoff.
          </p>
          <WebhookEndpoints />
        </section>
      </Can>
      <section class="stack" aria-labelledby="dead-letters-heading">
        <h2 id="dead-letters-heading">Failed notifications</h2>
        <p class="muted">Emails, Slack alerts and webhook deliveries given up on after every retry.</p>
        <DeadLetters />
      </section>
    </div>
  );
}
