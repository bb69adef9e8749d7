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
});
