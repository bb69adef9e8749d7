import { InlineField } from '@/components/field';
import { useMutation, useQueryClient } from '@tanstack/preact-query';
import { useState } from 'preact/hooks';
import { Empty, ErrorMessage, Loading } from '@/components/status';
import { formatDateTime } from '@/lib/format';
import { queryKeys } from '@/lib/query-keys';
import { PERMISSIONS, type CreatedApiKey, type Permission } from '@/types/api';
import { createApiKey, revokeApiKey, useApiKeys } from '../api/api-keys';

function NewKeySecret({ apiKey, onDone }: { apiKey: CreatedApiKey; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section class="notice notice--success" role="status" aria-labelledby="secret-heading">
      <h2 id="secret-heading" class="notice__title">
        Key “{apiKey.name}” created
      </h2>
      <p>Copy the secret now. It is shown only this once.</p>
      <p>
        <code class="secret">{apiKey.secret}</code>
      </p>
      <div class="notice__actions">
        <button
          type="button"
          class="button"
          onClick={() => navigator.clipboard?.writeText(apiKey.secret).then(() => setCopied(true))}
        >
          {copied ? 'Copied' : 'Copy secret'}
        </button>
        <button type="button" class="button button--primary" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </section>
  );
}

function NewKeyForm({ onCreated }: { onCreated: (key: CreatedApiKey) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Permission[]>(['tickets.read']);
  const create = useMutation({ mutationFn: createApiKey, onSuccess: onCreated });
  const toggle = (scope: Permission, on: boolean) =>
    setScopes(on ? [...scopes, scope] : scopes.filter((s) => s !== scope));
  return (
    <form
      class="form form--inline"
      aria-labelledby="new-key-heading"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ name: name.trim(), scopes });
      }}
    >
      <h2 id="new-key-heading" class="panel__title">
        Create an API key
      </h2>
      <InlineField label="Name">
        {(id) => (
          <input
            id={id}
            required
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            placeholder="e.g. Billing integration"
          />
        )}
      </InlineField>
      <fieldset class="scopes">
        <legend>Scopes</legend>
        {PERMISSIONS.map((scope) => (
          <label class="check" key={scope}>
            <input
              type="checkbox"
              checked={scopes.includes(scope)}
              onChange={(e) => toggle(scope, e.currentTarget.checked)}
            />
            <code>{scope}</code>
          </label>
        ))}
      </fieldset>
      <button type="submit" class="button button--primary" disabled={create.isPending || scopes.length === 0}>
        Create key
      </button>
      {create.isError && (
        <p class="form__error" role="alert">
          {create.error.message}
        </p>
      )}
    </form>
  );
}

export function ApiKeys() {
  const keys = useApiKeys();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys });
  const revoke = useMutation({ mutationFn: revokeApiKey, onSuccess: refresh });

  return (
    <div class="stack">
      {created ? (
        <NewKeySecret apiKey={created} onDone={() => setCreated(null)} />
      ) : (
        <NewKeyForm
          onCreated={(key) => {
            setCreated(key);
            refresh();
          }}
        />
      )}
      {keys.isPending && <Loading label="Loading API keys…" />}
      {keys.isError && <ErrorMessage error={keys.error} onRetry={() => void keys.refetch()} />}
      {keys.data && keys.data.items.length === 0 && <Empty title="No API keys yet." />}
      {keys.data && keys.data.items.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-label="API keys">
          <table class="data-table">
            <caption class="visually-hidden">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((key) => (
                <tr key={key.id}>
                  <td>{key.name}</td>
                  <td>
                    <code>{key.prefix}…</code>
                  </td>
                  <td>{key.scopes.join(', ')}</td>
                  <td>{formatDateTime(key.created_at)}</td>
                  <td>
                    <button
                      type="button"
                      class="button button--danger"
                      disabled={revoke.isPending}
                      onClick={() =>
                        window.confirm(`Revoke “${key.name}”? Integrations using it stop working.`) &&
                        revoke.mutate(key.id)
                      }
                    >
                      Revoke<span class="visually-hidden"> {key.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoke.isError && <ErrorMessage error={revoke.error} />}
    </div>
  );
}
