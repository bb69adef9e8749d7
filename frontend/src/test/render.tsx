import { QueryClient, QueryClientProvider } from '@tanstack/preact-query';
import { render } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { LocationProvider } from 'preact-iso';

export function testQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } },
  });
}

/** Renders with a fresh query cache and a router starting at `url`. */
export function renderWithProviders(ui: ComponentChildren, { url = '/', queryClient = testQueryClient() } = {}) {
  window.history.replaceState(null, '', url);
  const result = render(
    <QueryClientProvider client={queryClient}>
      <LocationProvider>{ui}</LocationProvider>
    </QueryClientProvider>,
  );
  return { ...result, queryClient };
}
