import { render } from 'preact';
import { App } from '@/app/app';
import { loadConfig } from '@/config';
import { api } from '@/lib/api-client';
import { LiveSocket } from '@/lib/live-socket';
import './styles/main.css';

async function start(root: HTMLElement) {
  try {
    const config = await loadConfig();
    api.configure(config.apiBaseUrl);
    api.followOtherTabs(window);
    const liveSocket = new LiveSocket({ url: config.wsUrl, getToken: (renew) => api.freshAccessToken(renew) });
    root.replaceChildren(); // drop the static "Loading…" placeholder
    render(<App liveSocket={liveSocket} />, root);
  } catch (error) {
    // Text only: the message may quote a server response.
    const message = document.createElement('p');
    message.className = 'boot boot--error';
    message.setAttribute('role', 'alert');
    message.textContent = `Pulsedesk could not start: ${error instanceof Error ? error.message : String(error)}`;
    root.replaceChildren(message);
  }
}

void start(document.getElementById('app')!);
