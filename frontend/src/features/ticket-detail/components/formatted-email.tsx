import { useState } from 'preact/hooks';

/**
 * An email's formatted (HTML) version, on request. The server kept only nh3-sanitised markup (no
 * scripts, handlers, styles or remote images); it is still shown inside an iframe sandboxed with no
 * permissions at all: no script runs, the frame's origin is opaque (it cannot read the page, its
 * storage or its cookies), and it cannot open windows or navigate the page. The text stays the default.
 */
export function FormattedEmail({ html, label }: { html: string | null | undefined; label: string }) {
  const [shown, setShown] = useState(false);
  if (!html) return null;
  return (
    <div class="formatted-email">
      <button
        type="button"
        class="button button--quiet button--small"
        aria-expanded={shown}
        onClick={() => setShown(!shown)}
      >
        {shown ? 'Hide formatted email' : 'View formatted email'}
      </button>
      {shown && (
        <iframe
          class="formatted-email__frame"
          title={`Formatted email: ${label}`}
          sandbox=""
          referrerpolicy="no-referrer"
          srcdoc={`<!doctype html><meta charset="utf-8"><base target="_blank">${html}`}
        />
      )}
    </div>
  );
}
