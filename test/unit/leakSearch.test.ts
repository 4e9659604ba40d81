import * as assert from 'node:assert/strict';
import { maskKey } from '../../src/core/mask';
import { localStorageValueRanges, needles, searchBuffer, secretPart } from '../e2e/canary/leakSearch';
import { fakeKeys } from '../fakes/keys';

/** The canary's byte search: it must find every 20-character slice, in each encoding, and no less. */
describe('canary leak search (test/e2e/canary/leakSearch)', () => {
  const key = fakeKeys.apiKey();
  const secret = secretPart(key);
  const list = needles([key]);
  const find = (data: Buffer): ReturnType<typeof searchBuffer> => searchBuffer(data, 'test', list, maskKey);

  it('finds every 20-character slice of the secret part, in UTF-8 and UTF-16LE, with the run length', () => {
    for (let at = 0; at + 20 <= secret.length; at++) {
      const slice = secret.slice(at, at + 20);
      for (const encoding of ['utf8', 'utf16le'] as const) {
        const hits = find(Buffer.concat([Buffer.from('noise "', encoding), Buffer.from(slice, encoding), Buffer.from('" noise', encoding)]));
        assert.equal(hits.length, 1, `slice at ${at} in ${encoding}`);
        assert.equal(hits[0].encoding, encoding);
        assert.equal(hits[0].length, 20);
        assert.ok(!hits[0].context.includes(slice), 'the report shows the slice itself');
      }
    }
  });

  it('ignores 19 characters, and reports the whole key as one run', () => {
    // Bounded by characters no key has: an 'x' around it is the key's next character one time in 32.
    assert.deepEqual(find(Buffer.from(`!${secret.slice(30, 49)}!`)), []);
    const after = secret[49];
    assert.equal(find(Buffer.from(`!${secret.slice(30, 49)}${after}!`))[0]?.length, 20, 'the 20th character makes it a hit');
    const hits = find(Buffer.from(`key=${key};`));
    assert.equal(hits.length, 1);
    assert.equal(hits[0].length, secret.length);
    assert.equal(hits[0].key, maskKey(key));
  });

  it('finds the key base64-encoded at any byte alignment', () => {
    for (const prefix of ['', 'a', 'ab', 'abc']) {
      for (const encoding of ['base64', 'base64url'] as const) {
        const hits = find(Buffer.from(Buffer.from(prefix + key + '"}').toString(encoding)));
        assert.ok(hits.some((h) => h.encoding === encoding), `${encoding} after ${prefix.length} bytes`);
      }
    }
  });

  it('locates the value bytes of one localStorage item in a LevelDB log record', () => {
    const value = Buffer.from('sealed-blob-bytes');
    const record = Buffer.concat([Buffer.from([1, 30]), Buffer.from('_http://127.0.0.1:1\0\x01secrets.provider', 'latin1'), Buffer.from([value.length]), value, Buffer.from('tail')]);
    const [range] = localStorageValueRanges(record, 'secrets.provider');
    assert.deepEqual(record.subarray(range[0], range[1]), value);
    assert.deepEqual(localStorageValueRanges(record, 'other'), []);
  });
});
