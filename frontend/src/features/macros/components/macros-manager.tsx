import { useMutation, useQueryClient } from '@tanstack/preact-query';
import { useState } from 'preact/hooks';
import { Empty, ErrorMessage, Loading } from '@/components/status';
import { useCan } from '@/lib/auth';
import { queryKeys } from '@/lib/query-keys';
import type { Macro, MacroInput } from '@/types/api';
import { createMacro, deleteMacro, describeActions, updateMacro, useMacros } from '../api/macros';
import { MacroForm } from './macro-form';

/** The Macros page: personal and shared macros, created, edited and deleted here. */
export function MacrosManager() {
  const macros = useMacros();
  const canShare = useCan('macros.share');
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Macro | 'new' | null>(null);
  const [notice, setNotice] = useState('');
  const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.macros });

  const save = useMutation({
    mutationFn: (input: MacroInput) =>
      editing && editing !== 'new' ? updateMacro(editing.id, input) : createMacro(input),
    onSuccess: (saved) => {
      setNotice(`Saved “${saved.name}”.`);
      setEditing(null);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (macro: Macro) => deleteMacro(macro.id),
    onSuccess: (_, macro) => {
      setNotice(`Deleted “${macro.name}”.`);
      refresh();
    },
  });

  if (macros.isPending) return <Loading label="Loading macros…" />;
  if (macros.isError) return <ErrorMessage error={macros.error} onRetry={() => void macros.refetch()} />;
  const items = macros.data.items;
  const startEdit = (target: Macro | 'new') => {
    save.reset();
    setNotice('');
    setEditing(target);
  };

  return (
    <div class="stack">
      <p role="status" class="form__success">
        {notice}
      </p>
      {editing ? (
        <section class="card" aria-labelledby="macro-form-title">
          <h2 id="macro-form-title">{editing === 'new' ? 'New macro' : `Edit “${editing.name}”`}</h2>
          <MacroForm
            key={editing === 'new' ? 'new' : editing.id}
            macro={editing === 'new' ? null : editing}
            canShare={canShare}
            saving={save.isPending}
            error={save.error}
            onSave={(input) => save.mutate(input)}
            onCancel={() => setEditing(null)}
          />
        </section>
      ) : (
        <div>
          <button type="button" class="button button--primary" onClick={() => startEdit('new')}>
            New macro
          </button>
        </div>
      )}
      {remove.isError && <ErrorMessage error={remove.error} />}
      {items.length === 0 ? (
        <Empty title="No macros yet">
          <p>
            A macro sets fields and writes a templated reply in one step, from the ticket page (Ctrl+K). Create your
            first one with the form below.
          </p>
        </Empty>
      ) : (
        <div class="table-scroll">
          <table class="table macros-table">
            <caption class="visually-hidden">Macros</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Does</th>
                <th scope="col">Used</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((macro) => (
                <tr key={macro.id}>
                  <th scope="row">{macro.name}</th>
                  <td>{macro.shared ? 'Shared' : 'Personal'}</td>
                  <td>{describeActions(macro).join(' · ')}</td>
                  <td>{macro.usage_count}</td>
                  <td class="macros-table__buttons">
                    {macro.editable && (
                      <>
                        <button
                          type="button"
                          class="button button--small"
                          aria-label={`Edit ${macro.name}`}
                          onClick={() => startEdit(macro)}
                        >
                          Edit
                        </button>{' '}
                        <button
                          type="button"
                          class="button button--small button--danger"
                          aria-label={`Delete ${macro.name}`}
                          disabled={remove.isPending}
                          onClick={() => {
                            if (confirm(`Delete the macro “${macro.name}”?`)) remove.mutate(macro);
                          }}
                        >
                          Delete
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
