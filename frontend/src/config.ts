/** Runtime settings, written at deploy time to /config.json and parsed once at start. */
export interface AppConfig {
  /** Absolute http(s) URL of the REST API, without a trailing slash. */
  readonly apiBaseUrl: string;
  /** Absolute ws(s) URL of the live-events socket. */
  readonly wsUrl: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function requireString(raw: Record<string, unknown>, key: string): string {
  const value = raw[key];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(`config.json: "${key}" must be a non-empty string`);
  }
  return value.trim();
}

/** Resolves a possibly relative URL against the page origin; http(s) becomes ws(s) for sockets. */
function resolveUrl(value: string, origin: string, socket: boolean): string {
  const url = new URL(value, origin);
  if (socket && (url.protocol === 'http:' || url.protocol === 'https:')) {
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  }
  const allowed = socket ? ['ws:', 'wss:'] : ['http:', 'https:'];
  if (!allowed.includes(url.protocol)) {
    throw new ConfigError(`config.json: unsupported protocol "${url.protocol}" in "${value}"`);
  }
  return url.toString().replace(/\/$/, '');
}

export function parseConfig(raw: unknown, origin: string): AppConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('config.json must be a JSON object');
  }
  const record = raw as Record<string, unknown>;
  return Object.freeze({
    apiBaseUrl: resolveUrl(requireString(record, 'apiBaseUrl'), origin, false),
    wsUrl: resolveUrl(requireString(record, 'wsUrl'), origin, true),
  });
}

export async function loadConfig(origin = window.location.origin): Promise<AppConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new ConfigError(`Could not load /config.json (HTTP ${response.status})`);
  return parseConfig(await response.json(), origin);
}
