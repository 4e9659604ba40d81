import { BaseAnthropic } from '@anthropic-ai/sdk/client';
import { ClaudeKeysSdk } from '../api/sdkClient';
import { isVerifiable, livenessOf, type Verdict } from '../core/liveness';
import type { CredentialKind } from '../core/credentials';
import { safeOutsideText } from '../core/maskAnyForm';
import type { OrganisationKey } from '../core/keyIdentity';

/**
 * `scan --verify`: one authenticated read per distinct key, through the official SDK, one request
 * at a time and at most REQUESTS_PER_SECOND. API keys: GET /v1/models?limit=1. Admin keys:
 * GET /v1/organizations/api_keys?limit=1. No retries (a 401 is the answer, not a fault). OAuth tokens
 * and session keys are not sent. esbuild.js bundles this file with the SDK as dist/cliVerify.js,
 * loaded only when --verify is given, so a plain scan never loads the SDK.
 */

export const REQUESTS_PER_SECOND = 4;
const TIMEOUT_MS = 15_000;

export interface KeyToVerify {
  readonly key: string;
  readonly kind: CredentialKind;
}

/** A network failure's code (ECONNREFUSED, ETIMEDOUT…), never its message. */
function failureCode(error: unknown): string {
  if (error instanceof BaseAnthropic.APIConnectionTimeoutError) {
    return 'timed out';
  }
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) {
      return code;
    }
  }
  return 'network error';
}

async function check(client: ClaudeKeysSdk, kind: 'apiKey' | 'adminKey'): Promise<Verdict> {
  try {
    if (kind === 'adminKey') {
      await client.get('/v1/organizations/api_keys', { query: { limit: 1 } });
    } else {
      await client.models.list({ limit: 1 });
    }
    return livenessOf(200);
  } catch (error) {
    if (error instanceof BaseAnthropic.APIError && typeof error.status === 'number') {
      return livenessOf(error.status);
    }
    return livenessOf(undefined, failureCode(error));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Checks each distinct key once, in the order given; the map is keyed by the key itself. */
export async function verifyKeys(keys: readonly KeyToVerify[], baseURL: string): Promise<Map<string, Verdict>> {
  const verdicts = new Map<string, Verdict>();
  const interval = 1000 / REQUESTS_PER_SECOND;
  let last = -Infinity;
  for (const { key, kind } of keys) {
    if (verdicts.has(key)) {
      continue;
    }
    if (!isVerifiable(kind)) {
      verdicts.set(key, { state: 'unknown', detail: 'not checked: only API and Admin API keys have a check' });
      continue;
    }
    const wait = last + interval - performance.now();
    if (wait > 0) {
      await sleep(wait);
    }
    // The key passed explicitly: the SDK then reads no credential, base URL or log level from the environment.
    const client = new ClaudeKeysSdk({ apiKey: key, baseURL, maxRetries: 0, timeout: TIMEOUT_MS, logLevel: 'off' });
    verdicts.set(key, await check(client, kind));
    // Counted from the answer: however slow the first connection, the server never sees two requests closer than the interval.
    last = performance.now();
  }
  return verdicts;
}

/**
 * `scan --identify`: the organisation's API keys, every page, listed with the Admin key (its
 * partial_key_hint is matched locally; the keys found are never sent). Throws a short reason.
 */
export async function listOrganisationKeys(adminKey: string, baseURL: string): Promise<OrganisationKey[]> {
  const client = new ClaudeKeysSdk({ apiKey: adminKey, baseURL, maxRetries: 2, timeout: TIMEOUT_MS, logLevel: 'off' });
  const keys: OrganisationKey[] = [];
  try {
    for await (const key of client.organization.apiKeys.list({ limit: 1000 })) {
      // The name is printed: it is outside text, as in the editor (the hint is only matched).
      keys.push({ ...key, name: safeOutsideText(key.name) });
    }
  } catch (error) {
    if (error instanceof BaseAnthropic.APIError && typeof error.status === 'number') {
      throw new Error(error.status === 401 ? 'the Admin key was rejected (HTTP 401)' : error.status === 403 ? 'the Admin key may not list keys (HTTP 403)' : `HTTP ${error.status}`);
    }
    throw new Error(failureCode(error));
  }
  return keys;
}
