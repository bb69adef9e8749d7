import { ApiKeys } from '@/features/team/components/api-keys';
import { NewUserForm } from '@/features/team/components/new-user-form';
import { UsersTable } from '@/features/team/components/users-table';
import { Can } from '@/lib/auth';
import { useDocumentTitle } from '@/lib/document-title';

export function TeamPage() {
  useDocumentTitle('Team');
  return (
    <div class="page stack">
      <h1>Team</h1>
      <UsersTable />
      <Can permission="users.manage">
        <section class="panel">
          <NewUserForm />
        </section>
      </Can>
    </div>
  );
}

export function ApiKeysPage() {
  useDocumentTitle('API keys');
  return (
    <div class="page stack">
      <h1>API keys</h1>
      <p class="muted">Integrations authenticate with a key as a bearer token, limited to the key's scopes.</p>
      <ApiKeys />
    </div>
  );
}
