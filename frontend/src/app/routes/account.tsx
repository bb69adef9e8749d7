import { AccountSecurity } from '@/features/people/components/account-security';
import { useDocumentTitle } from '@/lib/document-title';

export function AccountPage() {
  useDocumentTitle('Your account');
  return (
    <div class="page stack">
      <h1>Your account</h1>
      <AccountSecurity />
    </div>
  );
}
