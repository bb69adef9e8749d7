import { useMutation, useQuery } from '@tanstack/preact-query';
import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import { errorMessage } from '@/components/status';
import { isApiError } from '@/lib/api-client';
import type { Comment, Macro, Ticket } from '@/types/api';
import { applyMacro, describeActions, previewMacro, useMacros } from '../api/macros';

interface PaletteProps {
  ticket: Ticket;
  onApplied: (ticket: Ticket, comment: Comment | null, macro: Macro) => void;
  onClose: () => void;
}

/** Macros whose name (or what they do) holds every typed word. */
export function matchingMacros(macros: Macro[], text: string): Macro[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return macros.filter((macro) => {
    const haystack = `${macro.name} ${describeActions(macro).join(' ')}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

/**
 * The command palette of the ticket page: a modal dialog holding an ARIA 1.2 combobox. Type to
 * filter, ↑/↓ to move, Enter to apply the highlighted macro, Esc to close. The highlighted
 * macro's reply is previewed for this ticket before it is applied.
 */
export function MacroPalette({ ticket, onApplied, onClose }: PaletteProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const macros = useMacros();
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const shown = useMemo(() => matchingMacros(macros.data?.items ?? [], text), [macros.data, text]);
  const current = shown[Math.min(active, shown.length - 1)] as Macro | undefined;

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const element = dialog.current;
    if (element && typeof element.showModal === 'function') element.showModal();
    else element?.setAttribute('open', '');
    return () => opener?.focus?.();
  }, []);
  useEffect(() => setActive(0), [text]);

  const preview = useQuery({
    queryKey: ['macros', current?.id, 'preview', ticket.id, ticket.version],
    queryFn: ({ signal }) => previewMacro(current!.id, ticket.id, signal),
    enabled: Boolean(current),
    staleTime: 10_000,
  });

  const apply = useMutation({
    mutationFn: (macro: Macro) => applyMacro(ticket.id, macro.id, ticket.version),
    onSuccess: (result, macro) => onApplied(result.ticket, result.comment ?? null, macro),
  });

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!shown.length) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((index) => (index + step + shown.length) % shown.length);
    } else if (event.key === 'Home' && event.ctrlKey) {
      setActive(0);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (current && !apply.isPending) apply.mutate(current);
    }
  };

  const listId = `${id}-list`;
  const optionId = (macro: Macro) => `${id}-option-${macro.id}`;
  const failure = apply.error
    ? isApiError(apply.error, 409)
      ? 'Someone changed this ticket meanwhile. Close this, review the ticket, and apply the macro again.'
      : errorMessage(apply.error)
    : null;

  return (
    <dialog
      ref={dialog}
      class="dialog macro-palette"
      aria-labelledby={`${id}-title`}
      onClose={onClose}
      onCancel={onClose}
    >
      <div class="dialog__header">
        <h2 id={`${id}-title`}>Apply a macro to #{ticket.number}</h2>
        <button type="button" class="button button--quiet" onClick={onClose}>
          Close
        </button>
      </div>
      <label for={`${id}-input`} class="visually-hidden">
        Macro
      </label>
      <input
        id={`${id}-input`}
        class="macro-palette__input"
        type="text"
        role="combobox"
        aria-expanded={shown.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={current ? optionId(current) : undefined}
        aria-describedby={`${id}-help`}
        placeholder="Type to find a macro…"
        autoComplete="off"
        autoFocus
        value={text}
        onInput={(event) => setText(event.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <p id={`${id}-help`} class="field__hint">
        ↑ and ↓ choose, Enter applies, Esc closes.
      </p>
      {macros.isPending && <p role="status">Loading macros…</p>}
      {macros.data && shown.length === 0 && (
        <p role="status" class="muted">
          {macros.data.items.length ? 'No macro matches.' : 'No macros yet: create them on the Macros page.'}
        </p>
      )}
      <ul id={listId} role="listbox" aria-label="Macros" class="macro-palette__list">
        {shown.map((macro) => (
          <li
            key={macro.id}
            id={optionId(macro)}
            role="option"
            aria-selected={macro === current}
            class={`macro-palette__option${macro === current ? ' macro-palette__option--active' : ''}`}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => apply.mutate(macro)}
          >
            <span class="macro-palette__name">{macro.name}</span>
            <span class="muted small">
              {macro.shared ? 'Shared' : 'Personal'} · {describeActions(macro).join(' · ')}
            </span>
          </li>
        ))}
      </ul>
      {current && (
        <section class="macro-palette__preview" aria-label={`Preview of ${current.name}`}>
          {preview.data ? (
            <>
              <p class="small">
                <strong>Changes:</strong> {preview.data.changes.join(', ') || 'nothing'}
              </p>
              {preview.data.reply && <pre class="macro-palette__reply">{preview.data.reply.body}</pre>}
            </>
          ) : preview.isError ? (
            <p class="field__error">{errorMessage(preview.error)}</p>
          ) : (
            <p class="muted small">Previewing…</p>
          )}
        </section>
      )}
      {apply.isPending && <p role="status">Applying…</p>}
      {failure && (
        <p class="form__error" role="alert">
          {failure}
        </p>
      )}
    </dialog>
  );
}
