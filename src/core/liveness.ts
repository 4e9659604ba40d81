import type { CredentialKind } from './credentials';

/**
 * Whether a found key still works, from one cheap authenticated read (TruffleHog's rule): the
 * answer's HTTP status, or none when the request never got one (network, timeout).
 */
export type Liveness = 'live' | 'revoked' | 'unknown';

export interface Verdict {
  readonly state: Liveness;
  /** Why, in a few words (never the key, never a server message: a proxy could echo the key). */
  readonly detail: string;
}

/** The kinds that have a check: OAuth tokens and session keys are never sent anywhere. */
export function isVerifiable(kind: CredentialKind): kind is 'apiKey' | 'adminKey' {
  return kind === 'apiKey' || kind === 'adminKey';
}

/**
 * 2xx: the key authenticated. 403: it authenticated but may not read this (still a working key).
 * 401 and 404: rejected, as a revoked or deleted key is. Anything else (429, 5xx, 400) says
 * nothing about the key.
 */
export function livenessOf(status: number | undefined, failure?: string): Verdict {
  if (status === undefined) {
    return { state: 'unknown', detail: failure ? `no answer (${failure})` : 'no answer' };
  }
  if (status >= 200 && status < 300) {
    return { state: 'live', detail: `HTTP ${status}` };
  }
  if (status === 403) {
    return { state: 'live', detail: 'HTTP 403: the key works but lacks permission for this read' };
  }
  if (status === 401 || status === 404) {
    return { state: 'revoked', detail: `HTTP ${status}` };
  }
  return { state: 'unknown', detail: `HTTP ${status}` };
}
