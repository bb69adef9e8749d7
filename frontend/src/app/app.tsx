import { QueryClientProvider } from '@tanstack/preact-query';
import { useEffect, useState } from 'preact/hooks';
import { LocationProvider } from 'preact-iso';
import { type LiveSocket, LiveSocketContext } from '@/lib/live-socket';
import { useSignedIn } from '@/lib/auth';
import { createQueryClient } from './query-client';
import { AppRouter } from './router';

/** Starts the live socket while someone is signed in, and stops it at sign-out. */
function LiveConnection({ socket }: { socket: LiveSocket }) {
  const signedIn = useSignedIn();
  useEffect(() => {
    if (signedIn) socket.start();
    else socket.stop();
  }, [signedIn, socket]);
  return null;
}

export function App({ liveSocket }: { liveSocket: LiveSocket | null }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <LiveSocketContext.Provider value={liveSocket}>
        {liveSocket && <LiveConnection socket={liveSocket} />}
        <LocationProvider>
          <AppRouter />
        </LocationProvider>
      </LiveSocketContext.Provider>
    </QueryClientProvider>
  );
}
