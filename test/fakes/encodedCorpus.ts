import { randomBytes } from 'node:crypto';
import type { CredentialKind } from '../../src/core/credentials';
import type { CorpusCase, CorpusFileEncoding } from './corpus';
import { randomBody } from './keys';

/**
 * The corpus's encoded cases: keys in base64 (Kubernetes Secrets, auth blobs, data URIs, JSON),
 * written with `\uXXXX` or `%XX` escapes, and in UTF-16 files. Built at run time from generated keys;
 * nothing key-shaped, encoded or not, is committed.
 */

export type Part = string | number | { readonly expect: CredentialKind; readonly value: string; readonly decoded?: string };

export interface CorpusTools {
  readonly assemble: (name: string, fileName: string, parts: readonly Part[], fileEncoding?: CorpusFileEncoding) => CorpusCase;
  readonly realisticKey: (kind: CredentialKind) => string;
  /** A full-length API key with a fake body made of `body` repeated. */
  readonly apiWithBody: (body: string) => string;
}

const b64 = (text: string, urlSafe = false, padded = true): string => {
  const encoded = Buffer.from(text, 'latin1').toString(urlSafe ? 'base64url' : 'base64');
  return padded ? encoded.padEnd(Math.ceil(encoded.length / 4) * 4, urlSafe ? '' : '=') : encoded.replace(/=+$/, '');
};

/** `key` base64-encoded after `before`: the run split where the key's first bit is, which is where the finding starts. */
function base64Parts(kind: CredentialKind, key: string, before = '', after = '', urlSafe = false, padded = true): Part[] {
  const run = b64(before + key + after, urlSafe, padded);
  const cut = Math.floor((8 * before.length) / 6);
  return [run.slice(0, cut), { expect: kind, value: run.slice(cut), decoded: key }];
}

const jsonEscape = (key: string, upper = false): string =>
  key.replace(/-/g, () => (upper ? '\\u002D' : '\\u002d'));

export function encodedCases(t: CorpusTools): { positives: CorpusCase[]; negatives: CorpusCase[] } {
  const { assemble, realisticKey } = t;
  const escaped = (kind: CredentialKind, encode: (key: string) => string): Part => {
    const key = realisticKey(kind);
    return { expect: kind, value: encode(key), decoded: key };
  };
  const b = (kind: CredentialKind, before = '', after = '', urlSafe = false, padded = true): Part[] => base64Parts(kind, realisticKey(kind), before, after, urlSafe, padded);

  const positives: CorpusCase[] = [
    assemble('base64: Kubernetes Secret data', 'secret.yaml', ['apiVersion: v1\nkind: Secret\ndata:\n  ANTHROPIC_API_KEY: ', ...b('apiKey'), '\n']),
    assemble('base64: Secret data, session key with padding', 'session-secret.yaml', ['data:\n  session: ', ...b('sessionKey', '', '\n'), '\n']),
    assemble('base64: .npmrc _auth (user:key, second alignment)', '.npmrc', ['registry=https://npm.example.com/\n_auth=', ...b('apiKey', 'bot:'), '\n']),
    assemble('base64: docker config.json auth (third alignment)', 'config.json', ['{"auths":{"registry.example.com":{"auth":"', ...b('adminKey', 'user:'), '"}}}\n']),
    assemble('base64: Basic auth header in curl', 'call-basic.sh', ['curl -H "Authorization: Basic ', ...b('apiKey', 'anthropic:'), '" https://proxy.example.com\n']),
    assemble('base64: data URI of an .env', 'page.html', ['<a href="data:text/plain;base64,', ...b('apiKey', 'ANTHROPIC_API_KEY=', '\n'), '">env</a>\n']),
    assemble('base64url without padding in JSON', 'token.json', ['{"blob":"', ...b('oauthAccessToken', '{"t":"', '"}', true, false), '"}\n']),
    assemble('base64: JSON of a JSON config', 'values.json', ['{"config":"', ...b('oauthRefreshToken', '{"refreshToken":"', '"}'), '"}\n']),
    assemble('escaped: JSON \\u002d for every dash', 'escaped.json', ['{"key":"', escaped('apiKey', jsonEscape), '"}\n']),
    assemble('escaped: JSON \\u002D upper-case hex, admin key', 'escaped-admin.json', ['{"admin":"', escaped('adminKey', (k) => jsonEscape(k, true)), '"}\n']),
    assemble('escaped: %2D in a URL query', 'url.txt', ['https://proxy.example.com/v1?key=', escaped('sessionKey', (k) => k.replace(/-/g, '%2D')), '&x=1\n']),
    assemble('escaped: every character percent-encoded', 'over-encoded.txt', ['k=', escaped('apiKey', (k) => [...k].map((ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`).join('')), '\n']),
    assemble('utf-16 LE with BOM: PowerShell profile, CRLF', 'profile.ps1', ['# profile é\r\n', '$env:ANTHROPIC_API_KEY = "', { expect: 'apiKey', value: realisticKey('apiKey') }, '"\r\n'], 'utf-16le-bom'),
    assemble('utf-16 BE with BOM', 'be.txt', ['キー\n', 'key=', { expect: 'adminKey', value: realisticKey('adminKey') }, '\n'], 'utf-16be-bom'),
    assemble('utf-16 LE without BOM, base64 inside', 'nobom.yaml', ['data:\n  k: ', ...b('apiKey'), '\n'], 'utf-16le'),
  ];

  const placeholder = t.apiWithBody('x');
  const negatives: CorpusCase[] = [
    assemble('base64 of a placeholder key', 'placeholder-secret.yaml', ['data:\n  k: ', b64(placeholder), '\n']),
    assemble('base64 of a key glued to a letter (xsk-ant-…)', 'glued-secret.yaml', ['data:\n  k: ', b64(`x${realisticKey('apiKey')}`), '\n']),
    assemble('base64 of a key one character short', 'short-secret.yaml', ['data:\n  k: ', b64(realisticKey('apiKey').slice(0, -3) + 'AA'), '\n']),
    assemble('base64 of random bytes', 'blob.txt', ['blob=', randomBytes(3000).toString('base64'), '\n']),
    assemble('base64 of prose about keys', 'readme.b64', [b64(`API keys start with ${['sk', 'ant', 'api03', ''].join('-')} and are secret. ${randomBody(200)}`), '\n']),
    assemble('base64 key with claude-keys:ignore', 'ignored-secret.yaml', ['data:\n  k: ', b64(realisticKey('apiKey')), ' # claude-keys:ignore\n']),
    assemble('escaped placeholder (\\u002d and xxxxx)', 'escaped-placeholder.json', ['{"key":"', jsonEscape(placeholder), '"}\n']),
    assemble('percent-escapes near nothing key-shaped', 'urls.txt', [`https://example.com/a%2Db?q=%5Fx&r=%41${randomBody(20)}\n`]),
    assemble('utf-16 LE file with a placeholder', 'placeholder.ps1', ['$env:ANTHROPIC_API_KEY = "', placeholder, '"\r\n'], 'utf-16le-bom'),
  ];
  return { positives, negatives };
}
