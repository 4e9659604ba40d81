import * as assert from 'node:assert/strict';
import { classifyCredential, type CredentialKind } from '../../src/core/credentials';
import { detectCredentials, looksFake } from '../../src/core/detector';
import { buildCorpus, scoreCorpus, type CorpusCase } from '../fakes/corpus';
import { randomBody } from '../fakes/keys';
import { ALL_KINDS, gen } from './detectorFixtures';

/** How well the detector does: fake-looking bodies, thousands of keys, the labelled corpus. */
describe('core/detector: quality', () => {
  describe('looksFake', () => {
    it('random bodies are almost never fake (about 3 in a million hold a placeholder word)', () => {
      let fake = 0;
      for (let i = 0; i < 2000; i++) {
        fake += Number(looksFake(randomBody(93))) + Number(looksFake(randomBody(40)));
      }
      assert.ok(fake <= 1, `${fake} of 4000 random bodies look fake`);
    });

    it('placeholder words in lower, UPPER or Pascal case', () => {
      for (const word of ['example', 'PLACEHOLDER', 'your_api_key', 'YourKey', 'YOUR_API_KEY', 'dummy', 'sample', 'Redacted', 'insert', 'replace', 'changeme', 'notreal', 'fakekey', 'xxxxx']) {
        assert.equal(looksFake(randomBody(30) + word + randomBody(30)), true, word);
      }
    });

    it('but not the same letters in random case, which real keys contain about 3 times in a million', () => {
      const body = (word: string): string => 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ_-q'.slice(0, 28) + word + 'qRsTuVwXyZ0aB1cD2eF3gH4iJ5kL6'.slice(0, 28);
      for (const word of ['pLaCeHoLdEr', 'eXaMpLe', 'dUmMy', 'xXxXx']) {
        assert.equal(looksFake(body(word)), false, word);
      }
    });

    it('a run of 8 identical characters is fake, 7 is not', () => {
      const body = (run: number): string => 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ_-'.repeat(4).slice(0, 40) + 'z'.repeat(run) + 'qRsTuVwXyZ0aB1cD2eF3gH4iJ5kL6'.slice(0, 30);
      assert.equal(looksFake(body(8)), true);
      assert.equal(looksFake(body(7)), false);
    });

    it('an ascending run of 8 is fake, 7 is not', () => {
      const tail = 'Zq7Lm2Np9Rt4Wx6Yb1Cd3Fg5Hj8Kk0Ps_Tv-';
      assert.equal(looksFake(tail + 'abcdefgh' + tail), true);
      assert.equal(looksFake(tail + 'abcdefg' + tail), false);
      assert.equal(looksFake(tail + '12345678' + tail), true);
    });

    it('fewer than 16 distinct characters, or a short repeated pattern', () => {
      assert.equal(looksFake('A'.repeat(93)), true);
      assert.equal(looksFake('aB3_xY9-'.repeat(12).slice(0, 93)), true);
      assert.equal(looksFake('Zq7Lm2Np9Rt4'.repeat(8).slice(0, 93)), true);
      // 15 distinct characters in a random order.
      const fifteen = 'ABCDEFGHJKMNPQR';
      const fewBody = Array.from({ length: 93 }, (_, i) => fifteen[(i * 7 + (i >> 2)) % 15]).join('');
      assert.equal(looksFake(fewBody), true);
    });
  });

  describe('scale', () => {
    it('10,000 random keys in one text are all found at their offsets', () => {
      const separators = ['\n', ' ', '","', "', '", '\r\n', '\t', ';', '\\n', '%3D', '&key=', ' 😀 '];
      let text = 'start ';
      const expected: Array<{ start: number; kind: CredentialKind; key: string }> = [];
      for (let i = 0; i < 10_000; i++) {
        const kind = ALL_KINDS[i % ALL_KINDS.length];
        const key = gen[kind]();
        expected.push({ start: text.length, kind, key });
        text += key + separators[(i * 7) % separators.length];
      }
      const started = Date.now();
      const findings = detectCredentials(text);
      const elapsed = Date.now() - started;
      assert.equal(findings.length, expected.length);
      findings.forEach((f, i) => {
        assert.equal(f.start, expected[i].start);
        assert.equal(f.kind, expected[i].kind);
        assert.equal(f.end - f.start, expected[i].key.length);
      });
      assert.ok(elapsed < 3000, `took ${elapsed} ms`);
    });

    it('10,000 keys on one minified line', () => {
      const keys = Array.from({ length: 10_000 }, () => gen.apiKey());
      const text = `[${keys.map((k) => `"${k}"`).join(',')}]`;
      const findings = detectCredentials(text);
      assert.equal(findings.length, keys.length);
      assert.ok(findings.every((f, i) => f.line === 0 && f.column === f.start && f.start === 2 + i * (keys[0].length + 3)));
    });
  });

  describe('accuracy corpus', () => {
    const corpus = buildCorpus();
    const score = scoreCorpus(corpus);
    const expectedCount = corpus.reduce((n, c) => n + c.expected.length, 0);

    it(`${corpus.length} cases, ${expectedCount} keys: precision ${score.precision.toFixed(3)}, recall ${score.recall.toFixed(3)} (TP ${score.truePositives}, FP ${score.falsePositives}, FN ${score.falseNegatives})`, () => {
      const mismatched = corpus
        .filter((c) => {
          const s = scoreCorpus([c]);
          return s.falsePositives + s.falseNegatives > 0;
        })
        .map((c) => c.name);
      assert.deepEqual(mismatched, [], 'cases the detector gets wrong');
      assert.equal(score.precision, 1);
      assert.equal(score.recall, 1);
      assert.equal(score.truePositives, expectedCount);
    });

    it('has 80+ cases, positives and negatives, and every kind', () => {
      assert.ok(corpus.length >= 80, `${corpus.length} cases`);
      const positives = corpus.filter((c) => c.expected.length > 0).length;
      assert.ok(positives >= 40 && corpus.length - positives >= 30, `${positives} positive, ${corpus.length - positives} negative`);
      const kinds = new Set(corpus.flatMap((c) => c.expected.map((e) => e.kind)));
      assert.deepEqual([...kinds].sort(), [...ALL_KINDS].sort());
      assert.equal(new Set(corpus.map((c) => c.name)).size, corpus.length, 'case names are unique');
    });

    it('every expected position holds a well-formed key of that kind (the labels are right)', () => {
      for (const c of corpus) {
        const lines = c.text.split(/\r\n|\r|\n/);
        for (const e of c.expected) {
          const rest = lines[e.line].slice(e.column);
          if (e.decoded !== undefined) {
            // Written encoded: Node's own decoders, on the run the position is in, give back the key.
            assert.equal(classifyCredential(e.decoded), e.kind, c.name);
            assert.ok(decodedLine(lines[e.line]).includes(e.decoded), `${c.name}: the encoded text decodes to the key`);
            continue;
          }
          const key = /^[A-Za-z0-9_-]+/.exec(rest)?.[0] ?? '';
          assert.equal(classifyCredential(key), e.kind, c.name);
        }
      }
    });

    it('is rebuilt with fresh keys each time and holds no key twice', () => {
      const keysOf = (cases: CorpusCase[]): string[] => cases.flatMap((c) => detectCredentials(c.text).map((f) => c.text.slice(f.start, f.end)));
      const first = keysOf(corpus);
      const second = keysOf(buildCorpus());
      assert.equal(new Set([...first, ...second]).size, first.length + second.length);
    });

    it('scoreCorpus counts misses and false alarms', () => {
      assert.deepEqual(
        scoreCorpus(corpus, () => []),
        { truePositives: 0, falsePositives: 0, falseNegatives: expectedCount, precision: 1, recall: 0 },
      );
      const shifted = scoreCorpus(corpus, (text) => detectCredentials(text).map((f) => ({ ...f, column: f.column + 1 })));
      assert.equal(shifted.truePositives, 0);
      assert.equal(shifted.falsePositives, expectedCount);
      assert.equal(shifted.precision, 0);
      // The negatives have teeth: ignoring the markers reports the keys they hide.
      const unmarked = scoreCorpus(corpus, (text) => detectCredentials(text, { honourIgnoreMarkers: false }));
      assert.ok(unmarked.falsePositives >= 8, `${unmarked.falsePositives} false positives`);
      assert.equal(unmarked.recall, 1);
    });
  });
});

/** A line with its escapes decoded, and each of its base64 runs decoded (both alphabets) after it. */
function decodedLine(line: string): string {
  const unescaped = line.replace(/\\u([0-9A-Fa-f]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const runs = line.match(/[A-Za-z0-9+/_-]{16,}={0,2}/g) ?? [];
  return [unescaped, ...runs.map((run) => Buffer.from(run, run.includes('-') || run.includes('_') ? 'base64url' : 'base64').toString('latin1'))].join('\n');
}
