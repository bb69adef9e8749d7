import { useShortcut } from '@/lib/shortcuts';

interface TakeButtonProps {
  busy: boolean;
  onTake: () => void;
}

/** "Take it" on an unassigned ticket; `t` does the same from anywhere on the page. */
export function TakeButton({ busy, onTake }: TakeButtonProps) {
  useShortcut('t', () => {
    if (!busy) onTake();
  });
  return (
    <button type="button" class="button button--primary" disabled={busy} onClick={onTake} aria-keyshortcuts="t">
      {busy ? 'Taking…' : 'Take it'}
    </button>
  );
}
