import { afterEach, describe, expect, it, vi } from 'vitest';
import { CLOSE, HELLO, READY, connectToWidget, hostOrigin } from './widget-bridge';

describe('the widget bridge', () => {
  const parent = { postMessage: vi.fn() };

  it('takes the host origin only from its own parent, only from a hello, only an http(s) origin', () => {
    const hello = { data: { type: HELLO }, origin: 'https://shop.example', source: parent };
    expect(hostOrigin(hello as never, parent)).toBe('https://shop.example');
    expect(hostOrigin({ ...hello, source: {} } as never, parent)).toBeNull();
    expect(hostOrigin({ ...hello, data: { type: CLOSE } } as never, parent)).toBeNull();
    expect(hostOrigin({ ...hello, data: 'hello' } as never, parent)).toBeNull();
    expect(hostOrigin({ ...hello, origin: 'null' } as never, parent)).toBeNull();
  });

  describe('in a frame', () => {
    let stop: () => void = () => undefined;
    afterEach(() => stop());

    function framedWindow() {
      const listeners: Record<string, (event: MessageEvent) => void> = {};
      const win = {
        parent,
        document,
        addEventListener: (type: string, listener: (event: MessageEvent) => void) => (listeners[type] = listener),
        removeEventListener: vi.fn(),
      };
      return {
        win: win as unknown as Window,
        receive: (event: Partial<MessageEvent>) => listeners.message(event as MessageEvent),
      };
    }

    it('says ready to anyone, then posts close on Escape only to the origin that answered hello', () => {
      parent.postMessage.mockClear();
      const { win, receive } = framedWindow();
      stop = connectToWidget(win);
      expect(parent.postMessage).toHaveBeenCalledWith({ type: READY }, '*');

      // before any hello, Escape posts nothing
      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
      expect(parent.postMessage).toHaveBeenCalledTimes(1);

      // a hello from someone else is ignored; the parent's is kept (once)
      receive({ data: { type: HELLO }, origin: 'https://evil.example', source: {} as never });
      receive({ data: { type: HELLO }, origin: 'https://shop.example', source: parent as never });
      receive({ data: { type: HELLO }, origin: 'https://later.example', source: parent as never });
      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
      expect(parent.postMessage).toHaveBeenLastCalledWith({ type: CLOSE }, 'https://shop.example');
      expect(parent.postMessage).toHaveBeenCalledTimes(2);
    });

    it('does nothing outside a frame', () => {
      parent.postMessage.mockClear();
      const self = { parent: null as unknown, addEventListener: vi.fn() };
      self.parent = self;
      connectToWidget(self as unknown as Window)();
      expect(self.addEventListener).not.toHaveBeenCalled();
    });
  });
});
