import { useQueryClient } from '@tanstack/preact-query';
import { useEffect, useState } from 'preact/hooks';
import { loadConfig } from '@/config';
import { LiveSocket, type LiveStatus } from '@/lib/live-socket';
import { readSession } from '../api/portal-api';

/**
 * The requester's own socket while a portal page is open: the server sends it only their own
 * requests' public changes; each one refreshes what the page shows (and a reconnect catches up).
 */
export function usePortalLive(slug: string): LiveStatus {
  const client = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('offline');
  useEffect(() => {
    let socket: LiveSocket | null = null;
    let cancelled = false;
    const refresh = () => void client.invalidateQueries({ queryKey: ['portal', slug] });
    void loadConfig()
      .then((config) => {
        if (cancelled) return;
        socket = new LiveSocket({ url: config.wsUrl, getToken: async () => readSession(slug)?.token ?? null });
        socket.onStatus(setStatus);
        socket.onEvent((event) => {
          if (event.type === 'request.updated') refresh();
        });
        socket.onReconnect(refresh);
        socket.start();
      })
      .catch(() => setStatus('offline'));
    return () => {
      cancelled = true;
      socket?.stop();
    };
  }, [slug, client]);
  return status;
}
