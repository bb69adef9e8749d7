import { QueryClient, QueryClientProvider } from '@tanstack/preact-query';
import { render } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { LocationProvider } from 'preact-iso';
import { type LiveEvent, type LiveSocket, LiveSocketContext } from '@/lib/live-socket';

export function testQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } },
  });
}

/** A live socket the test drives: `emit` delivers a server event to every listener. */
export function fakeLiveSocket() {
  const listeners = new Set<(event: LiveEvent) => void>();
  const socket = {
    onEvent: (listener: (event: LiveEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onStatus: () => () => undefined,
    onReconnect: () => () => undefined,
    getStatus: () => 'live',
    send: () => true,
  } as unknown as LiveSocket;
  return { socket, emit: (event: LiveEvent) => listeners.forEach((listener) => listener(event)) };
}

/** Renders with a fresh query cache and a router starting at `url`. */
export function renderWithProviders(
  ui: ComponentChildren,
  {
    url = '/',
    queryClient = testQueryClient(),
    liveSocket = null,
  }: { url?: string; queryClient?: QueryClient; liveSocket?: LiveSocket | null } = {},
) {
  window.history.replaceState(null, '', url);
  const result = render(
    <QueryClientProvider client={queryClient}>
      <LiveSocketContext.Provider value={liveSocket}>
        <LocationProvider>{ui}</LocationProvider>
      </LiveSocketContext.Provider>
    </QueryClientProvider>,
  );
  return { ...result, queryClient };
}
