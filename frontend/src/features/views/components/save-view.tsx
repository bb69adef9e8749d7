import { InlineField } from '@/components/field';
import { useMutation, useQueryClient } from '@tanstack/preact-query';
import { useState } from 'preact/hooks';
import { useCan } from '@/lib/auth';
import { queryKeys } from '@/lib/query-keys';
import {
  canonicalSearch,
  createView,
  deleteView,
  isViewSearch,
  navViews,
  searchToViewFilters,
  useViews,
} from '../api/views';

/** "Save as view" for the current filters, or "Delete view" when they are a saved view. */
export function SaveView({ search }: { search: string }) {
  const queryClient = useQueryClient();
  const canShare = useCan('views.share');
  const views = useViews();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.views });
  const create = useMutation({
    mutationFn: createView,
    onSuccess: () => {
      setOpen(false);
      setName('');
      void refresh();
    },
  });
  const remove = useMutation({ mutationFn: deleteView, onSuccess: () => void refresh() });

  const current = canonicalSearch(search);
  const { builtin, saved } = navViews(views.data, views.isError);
  const match = saved.find((view) => isViewSearch(view, current));
  // A built-in view is already one click away, and cannot be deleted.
  if (!current || builtin.some((view) => isViewSearch(view, current))) return null;
  if (match) {
    return (
      <button
        type="button"
        class="button button--quiet"
        disabled={remove.isPending}
        onClick={() => window.confirm(`Delete the view “${match.name}”?`) && remove.mutate(match.id)}
      >
        Delete view “{match.name}”
      </button>
    );
  }
  if (!open) {
    return (
      <button type="button" class="button button--quiet" onClick={() => setOpen(true)}>
        Save as view
      </button>
    );
  }
  return (
    <form
      class="save-view"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ name: name.trim(), filters: searchToViewFilters(search), shared: canShare && shared });
      }}
    >
      <InlineField label="View name">
        {(id) => <input id={id} required value={name} onInput={(e) => setName(e.currentTarget.value)} autoFocus />}
      </InlineField>
      {canShare && (
        <label class="check">
          <input type="checkbox" checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} />
          Share with the workspace
        </label>
      )}
      <button type="submit" class="button button--primary" disabled={create.isPending}>
        Save
      </button>
      <button type="button" class="button button--quiet" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {create.isError && (
        <p class="form__error" role="alert">
          {create.error.message}
        </p>
      )}
    </form>
  );
}
