import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { scanBytes } from '../../src/cli/scanner';
import { describeFinding, formatJson, formatSarif, formatText } from '../../src/cli/report';
import type { CredentialKind } from '../../src/core/credentials';
import { detectCredentials, findingKey, type Finding } from '../../src/core/detector';
import { findEncodedCredentials } from '../../src/core/encodedKeys';
import { maskKey } from '../../src/core/mask';
import { decodeUtf16, utf16Encoding } from '../../src/core/textEncoding';
import { buildCorpus, caseBytes, realisticKey, scoreCorpus } from '../fakes/corpus';

/**
 * Encoded keys in the detector: base64 (three alignments, both alphabets, padded or not) and
 * `\uXXXX` / `%XX` escapes; UTF-16 files in the CLI's byte path. Keys and their encodings are made
 * at run time.
 */

const KINDS: readonly CredentialKind[] = ['apiKey', 'adminKey', 'oauthAccessToken', 'oauthRefreshToken', 'sessionKey'];

const b64 = (text: string, urlSafe: boolean, padded: boolean): string => {
  const encoded = Buffer.from(text, 'latin1').toString(urlSafe ? 'base64url' : 'base64');
  return padded || urlSafe ? encoded : encoded.replace(/=+$/, '');
};

function only(text: string): Finding {
  const findings = detectCredentials(text);
  assert.equal(findings.length, 1, `one finding in ${findings.length === 0 ? 'none' : 'several'}`);
  return findings[0];
}

describe('core/encodedKeys: encoded keys in the detector', () => {
  for (const before of ['', 'u:', 'us:', 'user:']) {
    for (const urlSafe of [false, true]) {
      for (const padded of [true, false]) {
        it(`base64${urlSafe ? 'url' : ''}${padded ? '' : ' without padding'} of "${before}" + key: found on the encoded text, masked as the key`, () => {
          const key = realisticKey('apiKey');
          const run = b64(`${before}${key}\n`, urlSafe, padded);
          const text = `data:\n  KEY: ${run}\n`;
          const f = only(text);
          assert.equal(f.encoding, 'base64');
          assert.equal(f.kind, 'apiKey');
          assert.equal(f.masked, maskKey(key));
          const runAt = text.indexOf(run);
          // The span starts at the character holding the key's first bit and lies inside the run.
          assert.equal(f.start, runAt + Math.floor((8 * before.length) / 6));
          assert.ok(f.end <= runAt + run.length && f.end >= runAt + Math.floor((8 * (before.length + key.length)) / 6));
          assert.deepEqual([f.line, f.column, f.endLine], [1, f.start - text.indexOf('\n') - 1, 1]);
          assert.equal(findingKey(text, f), key);
        });
      }
    }
  }

  it('every kind, base64-encoded, is found with its kind', () => {
    for (const kind of KINDS) {
      const key = realisticKey(kind);
      assert.equal(only(`x = "${Buffer.from(key).toString('base64')}"`).kind, kind);
    }
  });

  it('JSON \\u002d / \\u002D and URL %2D escapes, and every character percent-encoded', () => {
    const key = realisticKey('apiKey');
    const forms = [
      key.replace(/-/g, '\\u002d'),
      key.replace(/-/g, '\\u002D'),
      key.replace(/-/g, '%2D'),
      key.replace(/_/g, '\\u005f'),
      [...key].map((c) => `%${c.charCodeAt(0).toString(16)}`).join(''),
    ];
    for (const form of forms) {
      const text = `{"k":"${form}"}`;
      const f = only(text);
      assert.equal(f.encoding, key.includes('_') || form.includes('%') || form.includes('\\u002') ? 'escaped' : undefined);
      assert.deepEqual([f.start, f.end], [6, 6 + form.length]);
      assert.equal(f.masked, maskKey(key));
      assert.equal(findingKey(text, f), key);
    }
  });

  describe('where keys written with escapes are looked for: an escaped hyphen, or a plain "-ant-"', () => {
    const hex = (c: string): string => c.charCodeAt(0).toString(16).padStart(2, '0');
    const key = realisticKey('apiKey');

    it('escapes in the body of a plainly written "sk-ant-api03-" are found from its "-ant-"', () => {
      const at = 30;
      for (const form of [`${key.slice(0, at)}%${hex(key[at])}${key.slice(at + 1)}`, `${key.slice(0, at)}\\u00${hex(key[at])}${key.slice(at + 1)}`]) {
        const f = only(`k = "${form}"`);
        assert.equal(f.encoding, 'escaped', form);
        assert.equal(f.masked, maskKey(key));
      }
    });

    it('escaped letters before a plain "-ant-" (%73%6B-ant-…) are found from the "-ant-"', () => {
      const form = `%73%6B${key.slice(2)}`;
      assert.equal(only(`?k=${form}`).encoding, 'escaped');
    });

    it('every character escaped, in JSON and in URL form, upper- or lower-case hex', () => {
      for (const form of [
        [...key].map((c) => `\\u00${hex(c)}`).join(''),
        [...key].map((c) => `\\u00${hex(c).toUpperCase()}`).join(''),
        [...key].map((c) => `%${hex(c)}`).join(''),
        [...key].map((c) => `%${hex(c).toUpperCase()}`).join(''),
      ]) {
        const f = only(`"${form}"`);
        assert.equal(f.encoding, 'escaped');
        assert.equal(f.end - f.start, form.length);
      }
    });

    it('printf formats, \\n and %20 in the text around a key with escapes change nothing', () => {
      const text = `log("%s %d took %.2fs\\n", a, b) url=%20${key.replace(/-/g, '%2d')}%20 "\\n\\t"`;
      const f = only(text);
      assert.equal(f.encoding, 'escaped');
      assert.equal(findingKey(text, f), key);
    });

    it('the rule\'s edge: plain hyphens with an escaped "ant" (sk-%61nt-…), which no encoder writes, are not looked for', () => {
      assert.deepEqual(detectCredentials(`k=sk-%61nt-${key.slice(7)}`), []);
    });

    it('a key split only by an invisible character is no key "written with escapes"', () => {
      assert.deepEqual(detectCredentials(`k=${key.slice(0, 30)}\u200b${key.slice(30)}`), []);
    });
  });

  it('a plainly written key has no encoding, and escapes around it (\\u0022, %3D, %20) do not make it one', () => {
    const key = realisticKey('apiKey');
    for (const text of [`k=${key}`, `"\\u0022${key}\\u0022"`, `?q=a%3D${key}%20b%2Dc`]) {
      const f = only(text);
      assert.equal(f.encoding, undefined);
      assert.equal(text.slice(f.start, f.end), key);
    }
  });

  it('ignore markers hide encoded keys as they hide plain ones', () => {
    const key = realisticKey('apiKey');
    const run = Buffer.from(key).toString('base64');
    assert.deepEqual(detectCredentials(`k: ${run} # claude-keys:ignore`), []);
    assert.deepEqual(detectCredentials(`# claude-keys:ignore-next-line\nk: ${key.replace(/-/g, '%2D')}`), []);
    assert.equal(detectCredentials(`k: ${run} # claude-keys:ignore`, { honourIgnoreMarkers: false }).length, 1);
  });

  it('fake, glued and wrong-length keys stay unreported when encoded', () => {
    const key = realisticKey('apiKey');
    const fake = key.slice(0, 13) + 'x'.repeat(93) + 'AA';
    for (const decoded of [fake, `x${key}`, `${key}x`, key.slice(0, -3) + 'AA']) {
      assert.deepEqual(detectCredentials(Buffer.from(decoded).toString('base64')), [], 'base64');
      assert.deepEqual(detectCredentials(decoded.replace(/-/g, '%2D')), [], 'escaped');
    }
  });

  it('property: base64 of random non-key text, in either alphabet, never reports', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('latin1'))), fc.boolean(), fc.boolean(), (plain, urlSafe, padded) => {
        const text = b64(plain, urlSafe, padded);
        assert.deepEqual(findEncodedCredentials(text), []);
        assert.deepEqual(detectCredentials(`data: ${text}\n`), []);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: base64 of random text with "sk-ant-" prefixes and near-keys in it never reports', () => {
    const near = fc.constantFrom(...KINDS).map((kind) => {
      const key = realisticKey(kind);
      // A key cut short or with a space inside: near, not well-formed.
      return key.slice(0, 30) + ' ' + key.slice(31);
    });
    const pieces = fc.array(fc.oneof(fc.string({ maxLength: 20 }), near, fc.constant(['sk', 'ant', 'api03', ''].join('-'))), { maxLength: 8 });
    fc.assert(
      fc.property(pieces, fc.boolean(), (parts, urlSafe) => {
        assert.deepEqual(detectCredentials(b64(parts.join(''), urlSafe, true)), []);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: a key base64-encoded after any non-key text and before any boundary is found once, masked as the key', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KINDS),
        fc.string({ maxLength: 40 }).map((s) => `${s}:`),
        fc.constantFrom('', '\n', '"', ' ', '}'),
        fc.boolean(),
        (kind, before, after, urlSafe) => {
          const key = realisticKey(kind);
          const text = `v: ${b64(before + key + after, urlSafe, true)}`;
          const found = detectCredentials(text);
          assert.equal(found.length, 1);
          assert.equal(found[0].kind, kind);
          assert.equal(found[0].masked, maskKey(key));
          assert.equal(findingKey(text, found[0]), key);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('core/textEncoding: UTF-16 files', () => {
  const le = (text: string): Buffer => Buffer.from(text, 'utf16le');
  const be = (text: string): Buffer => Buffer.from(text, 'utf16le').swap16();

  it('recognises byte order marks and, without one, VS Code\'s NUL pattern', () => {
    assert.equal(utf16Encoding(Buffer.concat([Buffer.from([0xff, 0xfe]), le('鍵 key')])), 'utf-16le');
    assert.equal(utf16Encoding(Buffer.concat([Buffer.from([0xfe, 0xff]), be('鍵 key')])), 'utf-16be');
    assert.equal(utf16Encoding(le('plain ASCII text\r\n')), 'utf-16le');
    assert.equal(utf16Encoding(be('plain ASCII text\r\n')), 'utf-16be');
  });

  it('leaves UTF-8, binaries with NULs, and UTF-32 alone', () => {
    assert.equal(utf16Encoding(Buffer.from('plain UTF-8 text, é')), undefined);
    assert.equal(utf16Encoding(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])), undefined);
    assert.equal(utf16Encoding(Buffer.from([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0])), undefined);
    // Non-ASCII UTF-16 without a byte order mark breaks the pattern: binary, as in VS Code.
    assert.equal(utf16Encoding(le('鍵 and key')), undefined);
  });

  it('decodes without the byte order mark, as the editor shows the text', () => {
    assert.equal(decodeUtf16(Buffer.concat([Buffer.from([0xff, 0xfe]), le('a\r\nb')]), 'utf-16le'), 'a\r\nb');
    assert.equal(decodeUtf16(Buffer.concat([Buffer.from([0xfe, 0xff]), be('😀x')]), 'utf-16be'), '😀x');
  });
});

describe('cli: the labelled corpus through the byte path (UTF-16 files included)', () => {
  it('precision and recall 1.0, each case\'s file read as bytes', () => {
    const corpus = buildCorpus();
    assert.ok(corpus.some((c) => c.fileEncoding) && corpus.some((c) => c.expected.some((e) => e.decoded)), 'the corpus has encoded and UTF-16 cases');
    const byText = new Map(
      corpus.map((c) => {
        const bytes = caseBytes(c);
        const outcome = scanBytes(bytes, bytes.length, { honourIgnoreMarkers: true, fingerprints: false });
        assert.equal(outcome.binary, undefined, `${c.name} is not binary`);
        return [c.text, (outcome.findings ?? []).map((f) => ({ kind: f.kind, line: f.line - 1, column: f.column - 1 }))];
      }),
    );
    const score = scoreCorpus(corpus, (text) => byText.get(text) ?? []);
    assert.deepEqual([score.precision, score.recall, score.falsePositives, score.falseNegatives], [1, 1, 0, 0]);
  });

  it('a UTF-16 file with a key is no longer skipped as binary: lines and UTF-16 columns as in the editor', () => {
    const key = realisticKey('apiKey');
    const text = '# é 😀\r\n$env:ANTHROPIC_API_KEY = "😀' + key + '"\r\n';
    const bomBE = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    // Without a byte order mark only ASCII shows the pattern (VS Code's rule too).
    for (const bytes of [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), bomBE, Buffer.from(`x=${key}\n`, 'utf16le'), Buffer.from(`x=${key}\n`, 'utf16le').swap16()]) {
      const outcome = scanBytes(bytes, bytes.length, { honourIgnoreMarkers: true, fingerprints: false });
      assert.equal(outcome.binary, undefined);
      assert.equal(outcome.findings?.length, 1);
      assert.equal(outcome.findings?.[0].masked, maskKey(key));
    }
    const withBom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const f = scanBytes(withBom, withBom.length, { honourIgnoreMarkers: true, fingerprints: false }).findings?.[0];
    const column = text.split('\r\n')[1].indexOf(key) + 1;
    assert.deepEqual([f?.line, f?.column, f?.endColumn], [2, column, column + key.length]);
  });
});

describe('cli/report: encoded findings in every format', () => {
  const finding = { kind: 'apiKey' as const, line: 3, column: 5, endLine: 3, endColumn: 149, masked: maskKey(realisticKey('apiKey')), encoding: 'base64' as const, keyHash: 'abc' };
  const rows = [{ path: 'secret.yaml', finding }];

  it('text, JSON and SARIF say how the key is written', () => {
    assert.equal(formatText(rows), `secret.yaml:3:5: apiKey ${finding.masked} (base64-encoded)\n`);
    assert.equal((JSON.parse(formatJson(rows)) as Array<{ encoding: string }>)[0].encoding, 'base64');
    const sarif = JSON.parse(formatSarif(rows, [], process.cwd())) as { runs: Array<{ results: Array<{ message: { text: string }; properties: { encoding: string } }> }> };
    assert.equal(sarif.runs[0].results[0].message.text, `base64-encoded Claude API key ${finding.masked}`);
    assert.equal(sarif.runs[0].results[0].properties.encoding, 'base64');
    assert.equal(describeFinding('adminKey', 'escaped'), 'Claude Admin API key written with escapes');
    assert.equal(describeFinding('sessionKey', undefined), 'claude.ai session key');
  });
});
