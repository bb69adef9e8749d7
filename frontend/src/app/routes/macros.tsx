import { MacrosManager } from '@/features/macros/components/macros-manager';
import { useDocumentTitle } from '@/lib/document-title';

export function MacrosPage() {
  useDocumentTitle('Macros');
  return (
    <div class="page page--narrow stack">
      <h1>Macros</h1>
      <p class="muted">
        Canned answers with actions: apply one on a ticket with <kbd>Ctrl</kbd> + <kbd>K</kbd> (<kbd>⌘</kbd> +{' '}
        <kbd>K</kbd> on a Mac) or <kbd>m</kbd>. Personal macros are yours; shared ones are for the whole team and are
        managed by leads and admins.
      </p>
      <MacrosManager />
    </div>
  );
}
