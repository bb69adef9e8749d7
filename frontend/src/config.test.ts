import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config';

describe('parseConfig', () => {
  it('resolves relative URLs against the page origin and turns the socket URL into ws(s)', () => {
    expect(parseConfig({ apiBaseUrl: '/api/v1', wsUrl: '/ws' }, 'https://desk.example.com')).toEqual({
      apiBaseUrl: 'https://desk.example.com/api/v1',
      wsUrl: 'wss://desk.example.com/ws',
    });
    expect(parseConfig({ apiBaseUrl: '/api/v1/', wsUrl: '/ws' }, 'http://localhost:8000').wsUrl).toBe(
      'ws://localhost:8000/ws',
    );
  });

  it('keeps absolute URLs', () => {
    const config = parseConfig(
      { apiBaseUrl: 'https://api.example.com/v1', wsUrl: 'wss://ws.example.com/prod' },
      'https://x',
    );
    expect(config).toEqual({ apiBaseUrl: 'https://api.example.com/v1', wsUrl: 'wss://ws.example.com/prod' });
  });

  it('rejects missing or malformed settings', () => {
    expect(() => parseConfig(null, 'https://x')).toThrow(ConfigError);
    expect(() => parseConfig({ apiBaseUrl: '/api/v1' }, 'https://x')).toThrow(/wsUrl/);
    expect(() => parseConfig({ apiBaseUrl: 'javascript:alert(1)', wsUrl: '/ws' }, 'https://x')).toThrow(/protocol/);
  });
});
