import { NotificationPreferences } from '@/features/notifications/components/notification-preferences';
import { useMe } from '@/lib/auth';
import { useDocumentTitle } from '@/lib/document-title';

export function NotificationsPage() {
  useDocumentTitle('Notifications');
  const me = useMe();
  return (
    <div class="page page--narrow stack">
      <h1>Notifications</h1>
      <p class="muted">
        Choose which emails Pulsedesk sends you{me.data ? ` at ${me.data.user.email}` : ''}. You never get an email
        about your own changes.
      </p>
      <NotificationPreferences />
    </div>
  );
}
