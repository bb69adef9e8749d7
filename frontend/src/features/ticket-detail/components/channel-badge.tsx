const LABELS: Record<string, string> = { web: 'Web', api: 'API', email: 'Email' };

function EnvelopeIcon() {
  return (
    <svg class="channel__icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        d="M1.5 3h13a.5.5 0 0 1 .5.5v9a.5.5 0 0 1-.5.5h-13a.5.5 0 0 1-.5-.5v-9a.5.5 0 0 1 .5-.5Zm.5 1.3v7.7h12V4.3L8 8.6 2 4.3Zm11.1-.3H2.9L8 7.6 13.1 4Z"
        fill="currentColor"
      />
    </svg>
  );
}

/** How a ticket or comment arrived; for email, an envelope and the address it came from (text, never HTML). */
export function ChannelBadge({ channel, sender }: { channel: string | undefined; sender?: string | null }) {
  if (!channel) return null;
  if (channel !== 'email') return <span class={`channel channel--${channel}`}>via {LABELS[channel] ?? channel}</span>;
  return (
    <span class="channel channel--email">
      <EnvelopeIcon />
      <span class="visually-hidden">By email</span>
      {sender ? (
        <span class="channel__sender">
          <span class="visually-hidden"> from </span>
          {sender}
        </span>
      ) : null}
    </span>
  );
}
