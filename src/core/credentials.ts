/**
 * Claude credential shapes. Anthropic does not publish key formats; these follow public secret
 * scanners (gitleaks, TruffleHog, GitHub secret scanning).
 */

export type CredentialKind = 'apiKey' | 'adminKey' | 'oauthAccessToken' | 'oauthRefreshToken' | 'sessionKey';

export interface CredentialShape {
  readonly kind: CredentialKind;
  readonly prefix: string;
  /** Human name used in messages. */
  readonly label: string;
  /** Exact body length, or minimum when `exact` is false. */
  readonly bodyLength: number;
  readonly exact: boolean;
  readonly suffix: string;
}

const BODY_CHAR = /[A-Za-z0-9_-]/;

export const CREDENTIAL_SHAPES: readonly CredentialShape[] = [
  { kind: 'apiKey', prefix: 'sk-ant-api03-', label: 'Claude API key', bodyLength: 93, exact: true, suffix: 'AA' },
  { kind: 'adminKey', prefix: 'sk-ant-admin01-', label: 'Claude Admin API key', bodyLength: 93, exact: true, suffix: 'AA' },
  { kind: 'oauthAccessToken', prefix: 'sk-ant-oat01-', label: 'Claude Code OAuth access token', bodyLength: 40, exact: false, suffix: '' },
  { kind: 'oauthRefreshToken', prefix: 'sk-ant-ort01-', label: 'Claude Code OAuth refresh token', bodyLength: 40, exact: false, suffix: '' },
  { kind: 'sessionKey', prefix: 'sk-ant-sid01-', label: 'claude.ai session key', bodyLength: 40, exact: false, suffix: '' },
];

export const API_KEY_PREFIX = 'sk-ant-api03-';
/** Total length of a well-formed API key. */
export const API_KEY_LENGTH = API_KEY_PREFIX.length + 93 + 2;

function hasValidBody(value: string, shape: CredentialShape): boolean {
  const body = value.slice(shape.prefix.length, value.length - shape.suffix.length);
  if (!value.endsWith(shape.suffix)) {
    return false;
  }
  if (shape.exact ? body.length !== shape.bodyLength : body.length < shape.bodyLength) {
    return false;
  }
  for (const ch of body) {
    if (!BODY_CHAR.test(ch)) {
      return false;
    }
  }
  return true;
}

/** The credential kind of a whole string, or undefined if it is not a well-formed Claude credential. */
export function classifyCredential(value: string): CredentialKind | undefined {
  for (const shape of CREDENTIAL_SHAPES) {
    if (value.startsWith(shape.prefix) && hasValidBody(value, shape)) {
      return shape.kind;
    }
  }
  return undefined;
}

export function shapeOf(kind: CredentialKind): CredentialShape {
  const shape = CREDENTIAL_SHAPES.find((s) => s.kind === kind);
  if (!shape) {
    throw new Error(`unknown credential kind ${kind}`);
  }
  return shape;
}
