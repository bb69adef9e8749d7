import { InlineField } from '@/components/field';
import { useMutation } from '@tanstack/preact-query';
import { useState } from 'preact/hooks';
import { ROLES, type Availability, type Role, type User } from '@/types/api';
import { AVAILABILITIES, updateUser, type UserChanges } from '../api/users';

export function UserEditor({ user, onSaved, onCancel }: { user: User; onSaved: () => void; onCancel: () => void }) {
  const [role, setRole] = useState<Role>(user.role);
  const [skills, setSkills] = useState(user.skills.join(', '));
  const [capacity, setCapacity] = useState(user.capacity === null ? '' : String(user.capacity));
  const [availability, setAvailability] = useState<Availability>(user.availability);
  const [active, setActive] = useState(user.active);
  const save = useMutation({ mutationFn: (changes: UserChanges) => updateUser(user.id, changes), onSuccess: onSaved });

  return (
    <form
      class="user-editor"
      aria-label={`Edit ${user.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({
          role,
          skills: skills
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          capacity: capacity === '' ? null : Number(capacity),
          availability,
          active,
        });
      }}
    >
      <p class="user-editor__name">
        <strong>{user.name}</strong> <span class="muted">{user.email}</span>
      </p>
      <InlineField label="Role">
        {(id) => (
          <select id={id} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        )}
      </InlineField>
      <InlineField label="Skills (comma-separated)">
        {(id) => <input id={id} value={skills} onInput={(e) => setSkills(e.currentTarget.value)} />}
      </InlineField>
      <InlineField label="Capacity">
        {(id) => (
          <input
            id={id}
            type="number"
            min={0}
            max={500}
            value={capacity}
            onInput={(e) => setCapacity(e.currentTarget.value)}
          />
        )}
      </InlineField>
      <InlineField label="Availability">
        {(id) => (
          <select id={id} value={availability} onChange={(e) => setAvailability(e.currentTarget.value as Availability)}>
            {AVAILABILITIES.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        )}
      </InlineField>
      <label class="check">
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
        Active
      </label>
      <div class="user-editor__actions">
        <button type="submit" class="button button--primary" disabled={save.isPending}>
          Save
        </button>
        <button type="button" class="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {save.isError && (
        <p class="form__error" role="alert">
          {save.error.message}
        </p>
      )}
    </form>
  );
}
