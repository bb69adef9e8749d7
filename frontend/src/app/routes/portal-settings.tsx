import { PortalSettingsForm } from '@/features/portal-settings/components/portal-settings';
import { useDocumentTitle } from '@/lib/document-title';

export function PortalSettingsPage() {
  useDocumentTitle('Customer portal');
  return (
    <div class="page stack">
      <h1>Customer portal</h1>
      <p class="muted">Customers sign in by emailed link to follow their requests, or write through the web form.</p>
      <PortalSettingsForm />
    </div>
  );
}
