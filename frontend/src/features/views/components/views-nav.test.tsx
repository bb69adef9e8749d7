import { screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { ViewsNav } from './views-nav';

describe('ViewsNav', () => {
  it('shows a capped count as a lower bound, to the eye and to screen readers', async () => {
    installFakeApi(() => ({
      body: {
        items: [
          {
            id: 'builtin:open',
            name: 'All open',
            filters: {},
            shared: true,
            builtin: true,
            count: 1000,
            count_capped: true,
          },
          {
            id: 'builtin:urgent',
            name: 'Urgent',
            filters: {},
            shared: true,
            builtin: true,
            count: 1,
            count_capped: false,
          },
        ],
        next_cursor: null,
      },
    }));
    renderWithProviders(<ViewsNav search="" />);

    expect(await screen.findByLabelText('more than 1,000 tickets')).toHaveTextContent('1,000+');
    expect(screen.getByLabelText('1 ticket')).toHaveTextContent('1');
  });

  it('shows why a stored view cannot be run instead of a count, and ties the reason to its link', async () => {
    const detail = 'filters.updated_before: must be later than updated_after: no ticket can match this range';
    installFakeApi(() => ({
      body: {
        items: [
          {
            id: 'v-good',
            name: 'Recent',
            filters: {},
            shared: true,
            builtin: false,
            count: 4,
            runnable: true,
            error: null,
          },
          {
            id: 'v-broken',
            name: 'Last decade',
            filters: { updated_after: '2030-01-01T00:00:00Z', updated_before: '2020-01-01T00:00:00Z' },
            shared: false,
            builtin: false,
            count: null,
            count_capped: false,
            runnable: false,
            error: {
              detail,
              errors: [{ field: 'filters.updated_before', message: 'must be later than updated_after' }],
            },
          },
        ],
        next_cursor: null,
      },
    }));
    renderWithProviders(<ViewsNav search="" />);

    const broken = await screen.findByRole('link', { name: /Last decade/ });
    expect(broken).toHaveTextContent('Can’t run');
    expect(broken).toHaveAccessibleDescription(`This view can’t be run: ${detail}`);
    expect(screen.getByText(`This view can’t be run: ${detail}`)).toBeVisible();
    const good = screen.getByRole('link', { name: /Recent/ });
    expect(good).not.toHaveAccessibleDescription();
    expect(screen.getByLabelText('4 tickets')).toHaveTextContent('4');
  });
});
