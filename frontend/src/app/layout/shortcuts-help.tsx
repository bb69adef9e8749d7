import { useEffect, useRef } from 'preact/hooks';
import { SHORTCUT_HELP } from '@/lib/shortcuts';

/** The `?` overlay: a modal dialog (Esc or the button closes it; focus returns where it was). */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const element = dialog.current;
    if (element && typeof element.showModal === 'function') element.showModal();
    else element?.setAttribute('open', '');
    return () => opener?.focus?.();
  }, []);

  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="shortcuts-title" onClose={onClose} onCancel={onClose}>
      <div class="dialog__header">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <button type="button" class="button button--quiet" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
      <table class="shortcuts">
        <caption class="visually-hidden">Keyboard shortcuts</caption>
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Action</th>
            <th scope="col">Where</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUT_HELP.map((shortcut) => (
            <tr key={shortcut.description}>
              <td>
                {shortcut.keys.map((key, index) => (
                  <span key={key}>
                    {index > 0 && <span class="muted"> then </span>}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </td>
              <td>{shortcut.description}</td>
              <td class="muted">{shortcut.where}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </dialog>
  );
}
