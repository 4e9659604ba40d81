import { randomBytes } from 'node:crypto';

/**
 * Key-shaped fixtures made at run time: nothing key-shaped is ever committed. The bodies are random,
 * so they also pass "obviously fake" heuristics the way a real key would.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** `length` random characters of `alphabet` (also the fake API's ids). */
export function randomChars(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += alphabet[bytes[i] % alphabet.length];
  }
  return out;
}

export function randomBody(length: number): string {
  return randomChars(ALPHABET, length);
}

const PREFIX = (kind: string, n: string): string => ['sk', 'ant', `${kind}${n}`, ''].join('-');

export const fakeKeys = {
  apiKey: (): string => PREFIX('api', '03') + randomBody(93) + 'AA',
  adminKey: (): string => PREFIX('admin', '01') + randomBody(93) + 'AA',
  oauthAccessToken: (): string => PREFIX('oat', '01') + randomBody(60),
  oauthRefreshToken: (): string => PREFIX('ort', '01') + randomBody(60),
  sessionKey: (): string => PREFIX('sid', '01') + randomBody(60),
  openAiProjectKey: (): string => ['sk', 'proj', ''].join('-') + randomBody(48).replace(/[-_]/g, 'x'),
  githubToken: (): string => ['ghp', ''].join('_') + randomBody(36).replace(/[-_]/g, 'x'),
};
