/**
 * The widget's iframe talking to widget.js on the customer's page, for one thing: Escape inside the
 * frame closes the widget. Origins are checked both ways:
 *  1. the frame says `ready` to its parent (no data in it, so any origin may read it);
 *  2. widget.js answers `hello` only to a frame it made, from Pulsedesk's own origin: the browser
 *     stamps the answer with the host page's origin, which the frame keeps, once, from its own parent;
 *  3. Escape posts `close` to that origin only; widget.js acts only on a `close` from its own frame
 *     and from Pulsedesk's origin.
 */
export const READY = 'pulsedesk:widget-ready';
export const HELLO = 'pulsedesk:widget-hello';
export const CLOSE = 'pulsedesk:widget-close';

interface Parent {
  postMessage(message: unknown, targetOrigin: string): void;
}

/** The host page's origin from a `hello`, or null when the message is anything else or from anyone else. */
export function hostOrigin(event: Pick<MessageEvent, 'data' | 'origin' | 'source'>, parent: unknown): string | null {
  if (event.source !== parent || event.source === null) return null;
  const data = event.data as { type?: unknown } | null;
  if (!data || typeof data !== 'object' || data.type !== HELLO) return null;
  return /^https?:\/\/[^/]+$/.test(event.origin) ? event.origin : null;
}

/** Starts the handshake; answers a function that stops listening. */
export function connectToWidget(win: Window = window): () => void {
  if (win.parent === win) return () => undefined;
  const parent = win.parent as Parent;
  let host: string | null = null;
  const onMessage = (event: MessageEvent) => {
    host ??= hostOrigin(event, win.parent);
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && host) parent.postMessage({ type: CLOSE }, host);
  };
  win.addEventListener('message', onMessage);
  win.document.addEventListener('keydown', onKey);
  parent.postMessage({ type: READY }, '*');
  return () => {
    win.removeEventListener('message', onMessage);
    win.document.removeEventListener('keydown', onKey);
  };
}
