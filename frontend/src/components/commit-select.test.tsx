import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { CommitSelect } from './commit-select';

function setup() {
  const onCommit = vi.fn();
  render(
    <label>
      Status
      <CommitSelect value="open" onCommit={onCommit}>
        <option value="open">Open</option>
        <option value="pending">Pending</option>
        <option value="solved">Solved</option>
      </CommitSelect>
    </label>,
  );
  return { onCommit, select: screen.getByLabelText('Status') as HTMLSelectElement };
}

describe('CommitSelect', () => {
  it('commits a choice made with the pointer at once', () => {
    const { onCommit, select } = setup();
    fireEvent.pointerDown(select);
    fireEvent.change(select, { target: { value: 'solved' } });
    expect(onCommit).toHaveBeenCalledWith('solved');
  });

  it('does not commit while arrow keys browse, then commits on Enter', () => {
    const { onCommit, select } = setup();
    fireEvent.keyDown(select, { key: 'ArrowDown' });
    fireEvent.change(select, { target: { value: 'pending' } });
    fireEvent.keyDown(select, { key: 'ArrowDown' });
    fireEvent.change(select, { target: { value: 'solved' } });
    expect(onCommit).not.toHaveBeenCalled();
    fireEvent.keyUp(select, { key: 'Enter' });
    expect(onCommit).toHaveBeenCalledTimes(1);
    expect(onCommit).toHaveBeenCalledWith('solved');
  });

  it('commits a browsed value when the field is left, and Escape restores the saved one', () => {
    const { onCommit, select } = setup();
    fireEvent.keyDown(select, { key: 'ArrowDown' });
    fireEvent.change(select, { target: { value: 'pending' } });
    fireEvent.keyDown(select, { key: 'Escape' });
    fireEvent.blur(select);
    expect(onCommit).not.toHaveBeenCalled();
    fireEvent.keyDown(select, { key: 'ArrowDown' });
    fireEvent.change(select, { target: { value: 'pending' } });
    fireEvent.blur(select);
    expect(onCommit).toHaveBeenCalledWith('pending');
  });
});
