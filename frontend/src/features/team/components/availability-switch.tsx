import { useMutation, useQueryClient } from '@tanstack/preact-query';
import { useId } from 'preact/hooks';
import { useMe } from '@/lib/auth';
import { queryKeys } from '@/lib/query-keys';
import type { Availability, Me } from '@/types/api';
import { AVAILABILITIES, updateUser } from '../api/users';

const LABELS: Record<string, string> = { online: 'Online', away: 'Away', offline: 'Offline' };

/** The signed-in agent's own availability (automatic assignment skips agents who are away or offline). */
export function AvailabilitySwitch() {
  const me = useMe();
  const queryClient = useQueryClient();
  const id = useId();
  const change = useMutation({
    mutationFn: ({ userId, availability }: { userId: string; availability: Availability }) =>
      updateUser(userId, { availability }),
    onMutate: async ({ availability }) => {
      await queryClient.cancelQueries({ queryKey: queryKeys.me });
      const before = queryClient.getQueryData<Me>(queryKeys.me);
      if (before) queryClient.setQueryData<Me>(queryKeys.me, { ...before, user: { ...before.user, availability } });
      return { before };
    },
    onError: (_error, _change, context) => {
      if (context?.before) queryClient.setQueryData(queryKeys.me, context.before);
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.me });
      void queryClient.invalidateQueries({ queryKey: queryKeys.users });
      void queryClient.invalidateQueries({ queryKey: queryKeys.agentLoad });
    },
  });
  if (!me.data) return null;
  const current = me.data.user.availability;
  return (
    <div class={`availability-switch availability-switch--${current}`}>
      <label for={id} class="visually-hidden">
        Your availability
      </label>
      <select
        id={id}
        value={current}
        disabled={change.isPending}
        onChange={(e) =>
          change.mutate({ userId: me.data.user.id, availability: e.currentTarget.value as Availability })
        }
        title="Your availability: automatic assignment only picks agents who are online"
      >
        {AVAILABILITIES.map((value) => (
          <option value={value} key={value}>
            {LABELS[value] ?? value}
          </option>
        ))}
      </select>
      {change.isError && (
        <span class="form__error availability-switch__error" role="alert">
          Could not change availability: {change.error.message}
        </span>
      )}
    </div>
  );
}
