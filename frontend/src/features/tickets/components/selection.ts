import { useMemo, useRef, useState } from 'preact/hooks';

export interface Selection {
  selected: Set<string>;
  /** Toggles one row; with `range`, every row from the last one toggled to this one takes its new state. */
  toggle: (id: string, range?: boolean) => void;
  setAll: (on: boolean) => void;
  clear: () => void;
  setOnly: (ids: string[]) => void;
  allSelected: boolean;
}

/** Row selection over the ids shown, in order; ids no longer shown drop out of it. */
export function useSelection(ids: string[]): Selection {
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const anchor = useRef<string | null>(null);
  const selected = useMemo(() => new Set(ids.filter((id) => chosen.has(id))), [ids, chosen]);

  const toggle = (id: string, range = false) => {
    const on = !selected.has(id);
    const next = new Set(selected);
    const from = anchor.current === null ? -1 : ids.indexOf(anchor.current);
    const to = ids.indexOf(id);
    if (range && from !== -1 && to !== -1) {
      for (const rowId of ids.slice(Math.min(from, to), Math.max(from, to) + 1)) {
        if (on) next.add(rowId);
        else next.delete(rowId);
      }
    } else if (on) next.add(id);
    else next.delete(id);
    anchor.current = id;
    setChosen(next);
  };

  return {
    selected,
    toggle,
    setAll: (on) => setChosen(on ? new Set(ids) : new Set()),
    clear: () => setChosen(new Set()),
    setOnly: (only) => setChosen(new Set(only)),
    allSelected: ids.length > 0 && selected.size === ids.length,
  };
}
