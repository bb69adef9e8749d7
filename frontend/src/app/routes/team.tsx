import { Invitations } from '@/features/people/components/invitations';
import { AgentLoadTable } from '@/features/team/components/agent-load';
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
      <Can permission="metrics.read">
        <section class="stack" aria-labelledby="load-heading">
          <h2 id="load-heading">Load</h2>
          <AgentLoadTable />
        </section>
      </Can>
      <section class="stack" aria-labelledby="people-heading">
        <h2 id="people-heading">People</h2>
        <UsersTable />
      </section>
      <Can permission="users.manage">
        <section class="panel">
          <Invitations />
        </section>
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
