import { useEffect, useState } from 'preact/hooks';
import { Field, errorsByField } from '@/components/field';
import { ErrorMessage, Loading, errorMessage } from '@/components/status';
import { isApiError } from '@/lib/api-client';
import { useMe } from '@/lib/auth';
import { usePortalSettings, useSavePortalSettings } from '../api/portal-settings';

/** The admins' switches of the customer portal: the public web form on or off, and the queue it feeds. */
export function PortalSettingsForm() {
  const settings = usePortalSettings();
  const save = useSavePortalSettings();
  const me = useMe();
  const [enabled, setEnabled] = useState(true);
  const [queue, setQueue] = useState('support');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (settings.data) {
      setEnabled(settings.data.web_form_enabled);
      setQueue(settings.data.web_form_queue);
    }
  }, [settings.data]);
  if (settings.isPending) return <Loading />;
  if (settings.isError) return <ErrorMessage error={settings.error} onRetry={() => void settings.refetch()} />;
  const slug = me.data?.workspace.slug ?? '';
  const origin = window.location.origin;
  const fields = isApiError(save.error, 422) ? errorsByField(save.error.fieldErrors) : {};

  async function submit(event: Event) {
    event.preventDefault();
    setSaved(false);
    const done = await save
      .mutateAsync({ web_form_enabled: enabled, web_form_queue: queue, version: settings.data?.version })
      .catch(() => null);
    setSaved(Boolean(done));
  }

  return (
    <div class="stack">
      <section class="panel" aria-labelledby="portal-links">
        <h2 id="portal-links" class="panel__title">
          Your portal
        </h2>
        <p>
          Customers see their requests at <a href={`/portal/${slug}`}>{`${origin}/portal/${slug}`}</a>; the web form is
          at <a href={`/portal/${slug}/new`}>{`${origin}/portal/${slug}/new`}</a>.
        </p>
        <p>To add a support button to your site, paste this before its closing body tag:</p>
        <pre class="secret">{`<script src="${origin}/widget.js" data-workspace="${slug}" async></script>`}</pre>
      </section>
      <form class="panel form" onSubmit={submit} aria-labelledby="portal-form-settings">
        <h2 id="portal-form-settings" class="panel__title">
          Public web form
        </h2>
        <label class="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
          Take requests from the web form and the widget
        </label>
        <Field label="Queue for new requests" error={fields.web_form_queue} hint="Lower-case letters, digits, - and _">
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              value={queue}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setQueue(e.currentTarget.value)}
            />
          )}
        </Field>
        {save.isError && !isApiError(save.error, 422) && (
          <p class="notice notice--warning" role="alert">
            {errorMessage(save.error)}
          </p>
        )}
        {saved && (
          <p class="notice notice--success" role="status">
            Saved.
          </p>
        )}
        <button type="submit" class="button button--primary" disabled={save.isPending}>
          Save
        </button>
      </form>
    </div>
  );
}
