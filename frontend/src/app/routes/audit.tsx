import { AuditLog } from '@/features/audit/components/audit-log';
import { useDocumentTitle } from '@/lib/document-title';

export function AuditPage() {
  useDocumentTitle('Audit log');
  return (
    <div class="page stack">
      <h1>Audit log</h1>
      <p class="muted">Sign-ins, user and role changes, and key changes, newest first.</p>
      <AuditLog />
    </div>
  );
}
