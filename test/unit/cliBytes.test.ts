import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { detectInBytes } from '../../src/core/byteScan';
import { detectCredentials, findingKey } from '../../src/core/detector';
import { fakeKeys } from '../fakes/keys';
import { API_PREFIX } from './cliScan';

/** The CLI's byte-level detection against the core detector on the decoded text. */
describe('cli: detection on bytes (only the lines around each hit are decoded)', () => {
  const keys = [fakeKeys.apiKey(), fakeKeys.adminKey(), fakeKeys.oauthAccessToken(), fakeKeys.sessionKey()];
  const pieces = [
    ...keys,
    ...keys,
    // Encoded forms: base64 at each alignment and in both alphabets, JSON and URL escapes.
    ...keys.map((k, i) => Buffer.from(['', 'u:', 'us:', 'x'][i] + k).toString(i % 2 ? 'base64url' : 'base64')),
    keys[0].replace(/-/g, '\\u002d'),
    keys[3].replace(/-/g, '%2D'),
    keys[2].replace(/-/g, '%2d'),
    keys[1].replace(/-/g, '\\u002D'),
    // Escapes only in the body, or only before a plain "-ant-".
    `${keys[0].slice(0, 20)}%${keys[0].charCodeAt(20).toString(16)}${keys[0].slice(21)}`,
    `%73%6B${keys[1].slice(2)}`,
    '%2D',
    '%2',
    '%s %d %.2f',
    '\\u002',
    '\\u005f',
    '\n',
    '\r\n',
    '\r',
    '\n\n',
    ' ',
    'x',
    '=',
    '"',
    'é',
    '😀',
    '\\n',
    '%3D',
    API_PREFIX,
    ['sk', 'ant', ''].join('-'),
    'claude-keys:ignore',
    'claude-keys:ignore-next-line',
    'secretlint-disable-next-line',
    '# claude-keys:ignore-next-line\r\n',
    '// secretlint-disable-next-line\r',
    '# claude-keys:ignore-next-line\n',
    'gitleaks:allow',
    'a'.repeat(600),
  ];
  const documents = fc.record({
    bom: fc.boolean(),
    parts: fc.array(fc.constantFrom(...pieces), { maxLength: 40 }),
    honour: fc.boolean(),
  });

  it('reports exactly what detectCredentials reports on the whole decoded file', () => {
    fc.assert(
      fc.property(documents, ({ bom, parts, honour }) => {
        const text = parts.join('');
        const bytes = Buffer.from((bom ? '\ufeff' : '') + text, 'utf8');
        const padded = Buffer.concat([bytes, Buffer.from(`stale ${keys[0]} bytes past the end`)]);
        const got = detectInBytes(padded, bytes.length, honour);
        const want = detectCredentials(text, { honourIgnoreMarkers: honour });
        assert.deepEqual(
          got,
          want.map((f) => ({
            kind: f.kind,
            line: f.line,
            column: f.column,
            endLine: f.endLine,
            endColumn: f.endColumn,
            masked: f.masked,
            ...(f.encoding ? { encoding: f.encoding } : {}),
            key: findingKey(text, f),
          })),
        );
      }),
      { numRuns: 1000 },
    );
  });
});
