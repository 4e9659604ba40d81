import { API_KEY_LENGTH, API_KEY_PREFIX, classifyCredential } from './credentials';

/** Why a pasted value cannot be stored as the Claude API key. */
export type KeyInputProblem =
  | { readonly reason: 'empty' }
  | { readonly reason: 'innerWhitespace' }
  | { readonly reason: 'adminKey' }
  | { readonly reason: 'oauthToken' }
  | { readonly reason: 'sessionKey' }
  | { readonly reason: 'openAiKey' }
  | { readonly reason: 'githubToken' }
  | { readonly reason: 'otherProviderKey'; readonly provider: string }
  | { readonly reason: 'wrongLength'; readonly length: number; readonly expected: number }
  | { readonly reason: 'invalidCharacters' }
  | { readonly reason: 'unknownAnthropicFormat' }
  | { readonly reason: 'notAClaudeKey' };

export type KeyInputResult = { readonly ok: true; readonly key: string } | ({ readonly ok: false } & KeyInputProblem);

const ASSIGNMENT = /^(?:export\s+)?ANTHROPIC_API_KEY\s*[=:]\s*/;
const QUOTED = /^(["'`])(.*)\1$/s;

/**
 * What people paste: surrounding whitespace, quotes, or a whole `ANTHROPIC_API_KEY=…` line.
 * Those wrappers are removed; anything inside the key itself is not guessed at.
 */
export function normalizeKeyInput(raw: string): string {
  let value = raw.trim();
  value = value.replace(ASSIGNMENT, '');
  const quoted = QUOTED.exec(value);
  if (quoted) {
    value = quoted[2].trim();
  }
  return value;
}

const OTHER_PROVIDERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^AIza[0-9A-Za-z_-]{20,}$/, 'Google'],
  [/^(?:AKIA|ASIA)[0-9A-Z]{16}$/, 'AWS'],
  [/^xox[abprs]-/, 'Slack'],
  [/^hf_[A-Za-z0-9]{20,}$/, 'Hugging Face'],
  [/^gsk_[A-Za-z0-9]{20,}$/, 'Groq'],
];

/** Checks a pasted value as the user types; never echoes the value back. */
export function checkApiKeyInput(raw: string): KeyInputResult {
  const value = normalizeKeyInput(raw);
  if (value.length === 0) {
    return { ok: false, reason: 'empty' };
  }
  if (/\s/.test(value)) {
    return { ok: false, reason: 'innerWhitespace' };
  }
  const kind = classifyCredential(value);
  switch (kind) {
    case 'apiKey':
      return { ok: true, key: value };
    case 'adminKey':
      return { ok: false, reason: 'adminKey' };
    case 'oauthAccessToken':
    case 'oauthRefreshToken':
      return { ok: false, reason: 'oauthToken' };
    case 'sessionKey':
      return { ok: false, reason: 'sessionKey' };
    case undefined:
      break;
  }
  if (value.startsWith('sk-ant-admin')) {
    return { ok: false, reason: 'adminKey' };
  }
  if (/^sk-ant-(?:oat|ort)\d/.test(value)) {
    return { ok: false, reason: 'oauthToken' };
  }
  if (value.startsWith('sk-ant-sid')) {
    return { ok: false, reason: 'sessionKey' };
  }
  if (value.startsWith(API_KEY_PREFIX)) {
    if (value.length !== API_KEY_LENGTH) {
      return { ok: false, reason: 'wrongLength', length: value.length, expected: API_KEY_LENGTH };
    }
    return { ok: false, reason: /^[A-Za-z0-9_-]+$/.test(value.slice(API_KEY_PREFIX.length)) ? 'unknownAnthropicFormat' : 'invalidCharacters' };
  }
  if (value.startsWith('sk-ant-')) {
    return { ok: false, reason: 'unknownAnthropicFormat' };
  }
  if (/^sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}$/.test(value)) {
    return { ok: false, reason: 'openAiKey' };
  }
  if (/^(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})$/.test(value)) {
    return { ok: false, reason: 'githubToken' };
  }
  for (const [pattern, provider] of OTHER_PROVIDERS) {
    if (pattern.test(value)) {
      return { ok: false, reason: 'otherProviderKey', provider };
    }
  }
  return { ok: false, reason: 'notAClaudeKey' };
}
