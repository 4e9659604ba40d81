import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { maskSecrets } from '../../src/core/mask';
import { StreamMasker } from '../../src/core/streamMask';
import { fakeKeys } from '../fakes/keys';

/**
 * Characters the masker's string operations look at while `run` runs: one per charCodeAt, and the
 * receiver's length for the scans (includes, slice, endsWith…). An op count, not a clock, so the
 * scaling check below is the same on a loaded machine.
 */
function charsExamined(run: () => void): number {
  const proto = String.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const scans = ['includes', 'slice', 'endsWith', 'startsWith', 'indexOf', 'lastIndexOf', 'substring'];
  const saved = new Map([...scans, 'charCodeAt'].map((name) => [name, proto[name]]));
  let count = 0;
  const charCodeAt = saved.get('charCodeAt')!;
  proto.charCodeAt = function (this: string, ...args: unknown[]) {
    count++;
    return charCodeAt.apply(this, args);
  };
  for (const name of scans) {
    const original = saved.get(name)!;
    proto[name] = function (this: string, ...args: unknown[]) {
      count += this.length;
      return original.apply(this, args);
    };
  }
  try {
    run();
  } finally {
    for (const [name, original] of saved) {
      proto[name] = original;
    }
  }
  return count;
}

/** An unbroken run of key characters (the worst case: it could always still become a key) in 4-character deltas. */
function unbrokenRunPieces(length: number): string[] {
  const alphabet = 'ghABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_';
  // "gh" first: the run could be a GitHub token, so none of it can go out before the run ends.
  const pieces: string[] = ['ghp_'];
  for (let i = 4; i < length; i += 4) {
    pieces.push(Array.from({ length: 4 }, (_, j) => alphabet[((i + j) * 7) % alphabet.length]).join(''));
  }
  return pieces;
}

function feed(pieces: readonly string[]): void {
  const masker = new StreamMasker();
  for (const piece of pieces) {
    masker.push(piece);
  }
  masker.end();
}

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

  it('puts ordinary words out at once, even unfinished: only a run that could become a key waits', () => {
    const masker = new StreamMasker();
    assert.equal(masker.push('Hello'), 'Hello');
    assert.equal(masker.push(' wor'), ' wor');
    assert.equal(masker.push('ld!'), 'ld!');
    assert.equal(masker.push(' Use s'), ' Use ');
    assert.equal(masker.push('k-'), '');
    assert.equal(masker.push('ant-'), '');
    assert.equal(masker.push('api03-... to start'), 'sk-ant-api03-... to start');
    assert.equal(masker.push(' the g'), ' the ');
    assert.equal(masker.push('it'), '');
    assert.equal(masker.push(' tool'), 'git tool');
    assert.equal(masker.end(), '');
  });

  it('a word glued to the start of a key keeps the key unmasked exactly as maskSecrets would', () => {
    // "foo" goes out first; "sk-…" after it is part of the longer word, as in the whole text.
    const key = fakeKeys.openAiProjectKey();
    const out = streamed(`foo${key} and more`, [3, 10]);
    assert.equal(out.join(''), maskSecrets(`foo${key} and more`));
  });

  it('end() puts out what was held back, masked', () => {
    const masker = new StreamMasker();
    const key = fakeKeys.oauthAccessToken();
    assert.equal(masker.push(`token ${key}`), 'token ');
    assert.equal(masker.end(), maskSecrets(key));
  });

  it('work grows linearly with an unbroken run of key characters (op count, not time)', () => {
    const smallPieces = unbrokenRunPieces(8_000);
    const largePieces = unbrokenRunPieces(16_000);
    const small = charsExamined(() => feed(smallPieces));
    const large = charsExamined(() => feed(largePieces));
    // Twice the text: about twice the work when linear, four times when quadratic.
    assert.ok(large / small < 2.5, `16k chars cost ${large} ops, 8k cost ${small}: ratio ${(large / small).toFixed(2)}`);
    assert.ok(large < 16_000 * 20, `16k chars cost ${large} ops: more than 20 per character`);
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
      { numRuns: 3000 },
    );
  });
});
