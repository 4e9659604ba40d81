import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { BASE64_PREFIX_ALIGNMENTS, findEncodedKeys, normaliseText } from '../../src/core/keyEncodings';
import { maskKey, maskSecrets } from '../../src/core/mask';
import { maskSecretsInAnyForm } from '../../src/core/maskAnyForm';
import { fakeKeys } from '../fakes/keys';

/** The part of a key that must never show: its body without the last four characters. */
const secretPart = (key: string): string => key.slice(13, -4);

/** JSON-style `\uXXXX` for the characters at the chosen indexes. */
function escapeAt(key: string, indexes: ReadonlySet<number>): string {
  return [...key].map((c, i) => (indexes.has(i) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('');
}

const b64 = (text: string, urlSafe = false): string => Buffer.from(text, 'latin1').toString(urlSafe ? 'base64url' : 'base64');

/** The base64 characters that encode only the key's middle (its bytes 16 to length-6), as found in `encoded`. */
function encodedMiddle(before: string, key: string, urlSafe: boolean): string {
  const whole = b64(before + key, urlSafe);
  const from = Math.ceil(((before.length + 16) * 8) / 6) + 1;
  const to = Math.floor(((before.length + key.length - 6) * 8) / 6) - 1;
  return whole.slice(from, to);
}

const INVISIBLES = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u202e'];

describe('core/keyEncodings', () => {
  it('the base64 needles are the characters only "sk-ant-" decides, at each of the three alignments', () => {
    for (const { offset, first, needle } of BASE64_PREFIX_ALIGNMENTS) {
      for (const filler of [0x00, 0xff, 0x41]) {
        const encoded = Buffer.concat([Buffer.alloc(offset, filler), Buffer.from('sk-ant-api03-xyz')]).toString('base64');
        assert.equal(encoded.slice(first, first + needle.length), needle, `offset ${offset}, filler ${filler}`);
      }
    }
  });

  it('a JSON-escaped key (sk\\u002dant…) is masked, the text around it kept', () => {
    const key = fakeKeys.apiKey();
    const text = `{"key": "${key.replace(/-/g, '\\u002d')}", "other": 1}`;
    assert.equal(maskSecretsInAnyForm(text), `{"key": "${maskKey(key)}", "other": 1}`);
    assert.deepEqual(findEncodedKeys(text).map((k) => k.encoding), ['escaped']);
  });

  it('a percent-encoded key (sk%2Dant%2D…) is masked', () => {
    const key = fakeKeys.sessionKey();
    const text = `https://x.example/?k=${key.replace(/-/g, '%2D')}&next=1`;
    assert.equal(maskSecretsInAnyForm(text), `https://x.example/?k=${maskKey(key)}&next=1`);
  });

  it('a key with a zero-width character inside is masked as one key', () => {
    const key = fakeKeys.apiKey();
    const text = `key: ${key.slice(0, 30)}\u200b${key.slice(30)} end`;
    // maskSecrets alone masks the first part and leaves the rest of the key showing.
    assert.ok(maskSecrets(text).includes(key.slice(31, -4)));
    assert.equal(maskSecretsInAnyForm(text), `key: ${maskKey(key)} end`);
    assert.deepEqual(findEncodedKeys(text).map((k) => k.encoding), ['invisible']);
  });

  it('every format character of the BMP (Unicode Cf) inside a key is seen: the quick test does not use \\p{Cf} but covers it', () => {
    const key = fakeKeys.apiKey();
    const formats: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if ((code < 0xd800 || code > 0xdfff) && /\p{Cf}/u.test(String.fromCodePoint(code))) {
        formats.push(String.fromCodePoint(code));
      }
    }
    assert.ok(formats.length > 20 && formats.includes('\u00ad') && formats.includes('\ufeff'), `${formats.length} format characters`);
    for (const format of formats) {
      const text = `key: ${key.slice(0, 30)}${format}${key.slice(30)} end`;
      assert.deepEqual(findEncodedKeys(text).map((k) => k.encoding), ['invisible'], `U+${format.codePointAt(0)?.toString(16)}`);
    }
  });

  it('a base64-encoded key (a Kubernetes Secret) is masked, at each alignment, in both alphabets', () => {
    const key = fakeKeys.apiKey();
    for (const before of ['', 'K', 'KE', 'KEY=']) {
      for (const urlSafe of [false, true]) {
        const encoded = b64(`${before}${key}\n`, urlSafe);
        const text = `data:\n  ANTHROPIC_API_KEY: ${encoded}\n`;
        const masked = maskSecretsInAnyForm(text);
        assert.ok(!masked.includes(encodedMiddle(before, key, urlSafe)), `${before}/${urlSafe}: ${masked}`);
        assert.ok(masked.includes(maskKey(key)), masked);
        assert.deepEqual(findEncodedKeys(text).map((k) => [k.encoding, k.decoded]), [['base64', key]]);
      }
    }
  });

  it('normaliseText maps every character back to where it came from', () => {
    const view = normaliseText('a\\u0041%42\u200bc');
    assert.equal(view.text, 'aABc');
    assert.deepEqual([...view.from], [0, 1, 7, 11]);
    assert.deepEqual([...view.to], [1, 7, 10, 12]);
  });

  it('text without keys is left as maskSecrets leaves it (escapes, percent signs, base64, invisibles)', () => {
    const text = 'a \\u0041 b %20 c YWJj \u200b d sk-ant-api03-… sk\\u002dant\\u002d short';
    assert.equal(maskSecretsInAnyForm(text), maskSecrets(text));
  });

  describe('properties', () => {
    const filler = fc.string({ maxLength: 8 }).filter((s) => !s.includes('sk-ant-'));

    it('random base64 of text that holds no key never masks anything more than maskSecrets', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 200 }), fc.boolean(), filler, (plain, urlSafe, around) => {
          fc.pre(!plain.includes('sk-ant-'));
          const text = `${around}${Buffer.from(plain, 'utf8').toString(urlSafe ? 'base64url' : 'base64')}${around}`;
          assert.equal(maskSecretsInAnyForm(text), maskSecrets(text));
        }),
        { numRuns: 2000 },
      );
    });

    it('random bytes in base64 never mask anything more than maskSecrets', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, urlSafe) => {
          const text = Buffer.from(bytes).toString(urlSafe ? 'base64url' : 'base64');
          fc.pre(!Buffer.from(bytes).toString('latin1').includes('sk-ant-'));
          assert.equal(maskSecretsInAnyForm(text), maskSecrets(text));
        }),
        { numRuns: 2000 },
      );
    });

    const anyKey = fc.constantFrom('api', 'admin', 'session').map((kind) => (kind === 'api' ? fakeKeys.apiKey() : kind === 'admin' ? fakeKeys.adminKey() : fakeKeys.sessionKey()));

    it('a key base64-encoded after any bytes and before a non-key byte: its middle never survives', () => {
      fc.assert(
        fc.property(anyKey, fc.string({ maxLength: 10 }).filter((s) => !s.includes('sk-ant-') && /^[\x20-\x7e]*$/.test(s)), fc.constantFrom('\n', '"', ' ', ':'), fc.boolean(), (key, before, after, urlSafe) => {
          const text = `x ${b64(before + key + after, urlSafe)} y`;
          const masked = maskSecretsInAnyForm(text);
          assert.ok(!masked.includes(encodedMiddle(before, key, urlSafe)), masked);
          assert.ok(masked.includes(maskKey(key)), masked);
        }),
        { numRuns: 500 },
      );
    });

    it('a key with escapes or invisible characters anywhere inside: no run of its body survives', () => {
      fc.assert(
        fc.property(anyKey, fc.array(fc.nat(), { maxLength: 12 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVISIBLES)), { maxLength: 4 }), (key, escapes, invisibles) => {
          // Invisibles first, then escapes (an invisible may itself be written as \u200b).
          let text = key;
          for (const [at, mark] of invisibles) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + mark + text.slice(i);
          }
          text = escapeAt(text, new Set(escapes.map((i) => i % text.length)));
          const masked = maskSecretsInAnyForm(`say "${text}".`);
          const decoded = normaliseText(masked).text;
          assert.ok(!decoded.includes(secretPart(key).slice(0, 20)), masked);
          assert.ok(!decoded.includes(secretPart(key).slice(-20)), masked);
        }),
        { numRuns: 1000 },
      );
    });
  });

  it('a megabyte of prefix needles, escapes and invisibles makes up no key (one pass; no clock)', () => {
    const needles = BASE64_PREFIX_ALIGNMENTS.map((a) => a.needle).join('');
    const text = `${needles}\\u002d%2D\u200b`.repeat(Math.ceil(1_000_000 / (needles.length + 10)));
    // No clock: the result shows it finished, and the count shows no key was made up.
    assert.equal(findEncodedKeys(text).length, 0);
  });
});
