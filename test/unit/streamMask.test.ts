import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { maskSecrets } from '../../src/core/mask';
import { StreamMasker } from '../../src/core/streamMask';
import { fakeKeys } from '../fakes/keys';

/** Feeds `text` cut at `cuts` and returns every piece put out, the end included. */
function streamed(text: string, cuts: readonly number[]): string[] {
  const masker = new StreamMasker();
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const point of [...points, text.length]) {
    out.push(masker.push(text.slice(from, point)));
    from = point;
  }
  out.push(masker.end());
  return out;
}

describe('core/streamMask', () => {
  it('a key split across pieces is masked as a whole; no piece carries key material', () => {
    const key = fakeKeys.apiKey();
    const text = `Your key is ${key}. Keep it safe.`;
    const out = streamed(text, [14, 20, 40, 60, 100]);
    assert.equal(out.join(''), maskSecrets(text));
    assert.ok(!out.join('').includes(key.slice(13, -4)));
    for (const piece of out) {
      assert.ok(!piece.includes(key.slice(20, 40)), `piece ${JSON.stringify(piece)} holds part of the key`);
    }
  });

  it('holds back only the trailing word: text after a separator is put out at once', () => {
    const masker = new StreamMasker();
    assert.equal(masker.push('Hello wor'), 'Hello ');
    assert.equal(masker.push('ld!'), 'world!');
    assert.equal(masker.push('\n'), '\n');
    assert.equal(masker.end(), '');
  });

  it('end() puts out what was held back, masked', () => {
    const masker = new StreamMasker();
    const key = fakeKeys.oauthAccessToken();
    assert.equal(masker.push(`token ${key}`), 'token ');
    assert.equal(masker.end(), maskSecrets(key));
  });

  it('for any text and any cuts, the pieces add up to maskSecrets of the whole', () => {
    const word = fc.oneof(
      fc.constantFrom(' ', '\n', '.', '"', '…', '=', '😀', 'sk-ant-', 'sk-', 'sk-proj-', 'ghp_', 'github_pat_', 'x', 'AA', '-', '_'),
      fc.constant(null).map(() => fakeKeys.apiKey()),
      fc.constant(null).map(() => fakeKeys.sessionKey()),
      fc.constant(null).map(() => fakeKeys.openAiProjectKey()),
      fc.constant(null).map(() => fakeKeys.githubToken()),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 12 }), (words, cuts) => {
        const text = words.join('');
        assert.equal(streamed(text, cuts).join(''), maskSecrets(text));
      }),
      { numRuns: 500 },
    );
  });
});
