import { maskSecrets } from './mask';

export const DEFAULT_API_BASE_URL = 'https://api.anthropic.com';

export type BaseUrlCheck =
  | { readonly ok: true; readonly url: string; readonly host: string; readonly insecure: boolean }
  | { readonly ok: false; readonly reason: 'invalid' | 'unsupportedScheme' | 'hasCredentials' };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Whether `host` (as in a URL: name and optional port) is Anthropic's own API, whose status page means something. */
export function isAnthropicApiHost(host: string): boolean {
  return /^api\.anthropic\.com(:443)?$/i.test(host.trim());
}

/** Where the key may be sent: https anywhere, plain http only to this machine (warned otherwise). */
export function checkApiBaseUrl(raw: string | undefined): BaseUrlCheck {
  const value = (raw ?? '').trim() || DEFAULT_API_BASE_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: 'unsupportedScheme' };
  }
  if (url.username || url.password) {
    return { ok: false, reason: 'hasCredentials' };
  }
  const insecure = url.protocol === 'http:' && !isLoopbackHost(url.hostname);
  return { ok: true, url: value.replace(/\/+$/, ''), host: url.host, insecure };
}

/**
 * The base URL as it may be shown or logged: user info, query and fragment dropped (they can hold
 * credentials), anything key-shaped masked. Undefined when the value is not a URL at all.
 */
export function describeApiBaseUrl(raw: string | undefined): string | undefined {
  let url: URL;
  try {
    url = new URL((raw ?? '').trim() || DEFAULT_API_BASE_URL);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    // Other schemes can be opaque ("data:…"): the scheme alone says what is wrong.
    return url.protocol;
  }
  const path = url.pathname === '/' ? '' : url.pathname;
  return maskSecrets(`${url.protocol}//${url.host}${path}`);
}
