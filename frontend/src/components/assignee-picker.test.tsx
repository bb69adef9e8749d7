import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { AgentLoad, User } from '@/types/api';
import { AssigneePicker, assigneeChoices } from './assignee-picker';

function user(id: string, name: string, availability: User['availability'], role: User['role'] = 'agent'): User {
  return { id, name, email: `${id}@x.test`, role, active: true, availability } as User;
}
function load(userId: string, value: number, capacity: number, availability: AgentLoad['availability']): AgentLoad {
  return {
    user_id: userId,
    name: userId,
    availability,
    capacity,
    skills: [],
    load: value,
    open_by_priority: {},
    last_assigned_at: null,
  };
}

const USERS = [
  user('ana', 'Ana', 'online'),
  user('bea', 'Bea', 'online'),
  user('cy', 'Cy', 'offline'),
  user('vi', 'Vi', 'online', 'viewer'),
];
const LOADS = [load('ana', 18, 20, 'online'), load('bea', 5, 20, 'online'), load('cy', 0, 20, 'offline')];

describe('assigneeChoices', () => {
  it('puts available people with the most room first and leaves viewers out', () => {
    const choices = assigneeChoices(USERS, LOADS, undefined);
    expect(choices.map((c) => c.name)).toEqual(['Bea', 'Ana', 'Cy']);
    expect(choices[0].detail).toBe('online · load 5 of 20');
  });

  it("marks who may not work the ticket's queue and lists them last", () => {
    const queue = { name: 'billing', description: '', member_ids: ['ana'], created_at: '', updated_at: '', version: 1 };
    const choices = assigneeChoices(USERS, LOADS, queue);
    expect(choices[0]).toMatchObject({ name: 'Ana', allowed: true });
    expect(choices[1]).toMatchObject({ name: 'Bea', allowed: false, detail: 'online · load 5 of 20 · not in billing' });
  });
});

describe('AssigneePicker', () => {
  it('reads each person with availability and room, and saves on a choice', () => {
    const onChoose = vi.fn();
    render(
      <label>
        Assignee
        <AssigneePicker id="a" value={null} choices={assigneeChoices(USERS, LOADS, undefined)} onChoose={onChoose} />
      </label>,
    );
    expect(screen.getByRole('option', { name: 'Bea — online · load 5 of 20' })).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Assignee'), { target: { value: 'bea' } });
    expect(onChoose).toHaveBeenCalledWith('bea');
  });
});
