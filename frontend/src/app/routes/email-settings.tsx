import { EmailSettings } from '@/features/email/components/email-settings';
import { useDocumentTitle } from '@/lib/document-title';

export function EmailSettingsPage() {
  useDocumentTitle('Email');
  return (
    <div class="page stack email-settings-page">
      <h1>Email</h1>
      <p class="muted">Customers write to your support address; every message becomes a ticket or a reply on one.</p>
      <EmailSettings />
    </div>
  );
}
