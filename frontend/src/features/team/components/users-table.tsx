import { useQueryClient } from '@tanstack/preact-query';
import { useState } from 'preact/hooks';
import { Empty, ErrorMessage, Loading } from '@/components/status';
import { useCan } from '@/lib/auth';
import { queryKeys } from '@/lib/query-keys';
import { useUsers } from '@/lib/users';
import { UserEditor } from './user-editor';

/** The team: role, skills, availability and capacity; admins edit in place (load is in its own table). */
export function UsersTable() {
  const users = useUsers();
  const canManage = useCan('users.manage');
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<string | null>(null);

  if (users.isPending) return <Loading label="Loading team…" />;
  if (users.isError) return <ErrorMessage error={users.error} onRetry={() => void users.refetch()} />;
  if (users.data.items.length === 0) return <Empty title="No users yet." />;

  const saved = () => {
    setEditing(null);
    void queryClient.invalidateQueries({ queryKey: queryKeys.users });
    void queryClient.invalidateQueries({ queryKey: queryKeys.agentLoad });
  };

  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label="Team members">
      <table class="data-table data-table--stack">
        <caption class="visually-hidden">Team members</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Skills</th>
            <th scope="col">Availability</th>
            <th scope="col">Capacity</th>
            {canManage && (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {users.data.items.map((user) =>
            editing === user.id ? (
              <tr key={user.id}>
                <td colSpan={canManage ? 6 : 5}>
                  <UserEditor user={user} onSaved={saved} onCancel={() => setEditing(null)} />
                </td>
              </tr>
            ) : (
              <tr key={user.id} class={user.active ? undefined : 'is-inactive'}>
                <td data-label="Name">
                  <strong>{user.name}</strong>
                  <span class="cell__sub">{user.email}</span>
                  {!user.active && <span class="badge">Deactivated</span>}
                </td>
                <td data-label="Role" class="capitalize">
                  {user.role}
                </td>
                <td data-label="Skills">{user.skills.length ? user.skills.join(', ') : '—'}</td>
                <td data-label="Availability">
                  <span class={`availability availability--${user.availability}`}>{user.availability}</span>
                </td>
                <td data-label="Capacity">{user.capacity ?? '—'}</td>
                {canManage && (
                  <td data-label="">
                    <button type="button" class="button button--quiet" onClick={() => setEditing(user.id)}>
                      Edit<span class="visually-hidden"> {user.name}</span>
                    </button>
                  </td>
                )}
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
