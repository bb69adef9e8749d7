import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

interface CommitSelectProps {
  id?: string;
  name?: string;
  class?: string;
  disabled?: boolean;
  'aria-describedby'?: string;
  'aria-label'?: string;
  value: string;
  /** Called once a choice is made: a click or tap, Enter, or leaving the field on a new value. */
  onCommit: (value: string) => void;
  children: ComponentChildren;
}

const BROWSING_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown']);

/**
 * A select that saves on a choice, not on every arrow key: browsers fire `change` for each arrow
 * press on a closed select, which saved a ticket's status at the first press. A change made by
 * browsing keys (or type-ahead letters) waits for Enter or for the field to lose focus; Escape
 * puts the saved value back.
 */
export function CommitSelect({ value, onCommit, children, ...rest }: CommitSelectProps) {
  const browsing = useRef(false);
  const commit = (select: HTMLSelectElement) => {
    browsing.current = false;
    if (select.value !== value) onCommit(select.value);
  };
  return (
    <select
      {...rest}
      value={value}
      onPointerDown={() => {
        browsing.current = false;
      }}
      onKeyDown={(e) => {
        if (BROWSING_KEYS.has(e.key) || e.key.length === 1) browsing.current = true;
        if (e.key === 'Escape') {
          e.currentTarget.value = value;
          browsing.current = false;
        }
      }}
      onKeyUp={(e) => {
        if (e.key === 'Enter') commit(e.currentTarget);
      }}
      onChange={(e) => {
        if (!browsing.current) commit(e.currentTarget);
      }}
      onBlur={(e) => commit(e.currentTarget)}
    >
      {children}
    </select>
  );
}
