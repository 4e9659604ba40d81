import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyCredential, shapeOf, type CredentialKind } from '../../src/core/credentials';
import { detectCredentials, findCredentials, looksFake, type Finding } from '../../src/core/detector';
import { positionOf } from '../fakes/corpus';

/** Prefixes assembled at run time so no key-shaped literal is ever written down. */
const NEEDLE = ['sk', 'ant', ''].join('-');
const ALL_KINDS: readonly CredentialKind[] = ['apiKey', 'adminKey', 'oauthAccessToken', 'oauthRefreshToken', 'sessionKey'];
const BODY_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'.split('');

const RUNS = 150;

const bodyChar = fc.constantFrom(...BODY_CHARS);
const body = (minLength: number, maxLength: number): fc.Arbitrary<string> => fc.string({ unit: bodyChar, minLength, maxLength });

/** A well-formed credential of any kind whose body does not look fake (as a real key's would not). */
const keyArb: fc.Arbitrary<{ kind: CredentialKind; key: string }> = fc
  .constantFrom(...ALL_KINDS)
  .chain((kind) => {
    const shape = shapeOf(kind);
    const bodyArb = shape.exact ? body(shape.bodyLength, shape.bodyLength) : body(shape.bodyLength, shape.bodyLength + 80);
    return bodyArb.filter((b) => !looksFake(b)).map((b) => ({ kind, key: shape.prefix + b + shape.suffix }));
  });

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));

/** Pieces that, glued together at random, make texts full of near-keys, keys, escapes and line breaks. */
const piece = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constant(NEEDLE),
  fc.constantFrom(...ALL_KINDS.map((k) => shapeOf(k).prefix)),
  body(0, 120),
  keyArb.map((k) => k.key),
  fc.constantFrom('\n', '\r\n', '\r', '\\n', '\\u0022', '\\x27', '%3D', '%zz', '"', "'", ' ', 'AA', '😀', '鍵', '\ud800'),
  fc.constantFrom('claude-keys:ignore', 'gitleaks:allow', 'secretlint-disable-next-line', 'claude-keys:ignore-next-line'),
);
const needleText = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));

/** Texts of every flavour the detector may meet. */
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: codeUnit }),
  needleText,
);

/** Characters that end a token on either side of a key; escapes and percent-encodings count before it. */
const boundaryAfter = fc.constantFrom(' ', '"', "'", '`', '=', ':', ',', ';', '(', ')', '[', ']', '{', '}', '<', '>', '\n', '\r\n', '\r', '\t', '/', '?', '&', '\\', '.', '😀', '鍵', '\u2028');
const boundaryBefore = fc.oneof(boundaryAfter, fc.constantFrom('\\n', '\\t', '%3D', '%20', '\\u0022', '\\x27'));

function checkFindings(text: string, findings: readonly Finding[]): void {
  let previousEnd = 0;
  for (const f of findings) {
    assert.ok(Number.isInteger(f.start) && Number.isInteger(f.end), 'integer offsets');
    assert.ok(f.start >= previousEnd, 'sorted and non-overlapping');
    assert.ok(f.end > f.start && f.end <= text.length, 'in bounds');
    previousEnd = f.end;
    const key = text.slice(f.start, f.end);
    assert.equal(classifyCredential(key), f.kind, 'a well-formed key of the reported kind');
    assert.deepEqual(positionOf(text, f.start), { line: f.line, column: f.column }, 'line and column');
    assert.equal(f.endLine, f.line, 'keys do not span lines');
    assert.equal(f.endColumn, f.column + key.length, 'end column');
  }
}

describe('core/detector properties', () => {
  it('never throws, on any string, with or without markers honoured', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        assert.ok(Array.isArray(detectCredentials(text)));
        assert.ok(Array.isArray(detectCredentials(text, { honourIgnoreMarkers: false })));
      }),
      { numRuns: 400 },
    );
  });

  it('every reported range holds a well-formed key of its kind, at the reported line and column, sorted', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        checkFindings(text, detectCredentials(text));
        checkFindings(text, detectCredentials(text, { honourIgnoreMarkers: false }));
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('masking shows the prefix and the last four characters only', () => {
    fc.assert(
      fc.property(needleText, (text) => {
        for (const f of detectCredentials(text, { honourIgnoreMarkers: false })) {
          const key = text.slice(f.start, f.end);
          const { prefix } = shapeOf(f.kind);
          assert.equal(f.masked, `${prefix}…${key.slice(-4)}`);
          // A run of the body may show only where the public prefix itself holds it.
          const hidden = key.slice(prefix.length, -4);
          for (let i = 0; i + 8 <= hidden.length; i++) {
            const run = hidden.slice(i, i + 8);
            assert.ok(!f.masked.includes(run) || prefix.includes(run), `body material at ${i} is in the masked form`);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a key inserted between boundary characters in random text is found at exactly that offset', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.oneof(fc.constantFrom('\n', '\r', ' '), bodyChar, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) }),
        fc.string(),
        fc.option(boundaryBefore, { nil: '' }),
        fc.option(boundaryAfter, { nil: '' }),
        keyArb,
        (left, right, before, after, { kind, key }) => {
          // Nothing but the start or end of the text may stand in for a boundary.
          const lead = left === '' ? before : before || ' ';
          const trail = right === '' ? after : after || ' ';
          const text = left + lead + key + trail + right;
          const start = left.length + lead.length;
          const found = detectCredentials(text).filter((f) => f.start === start);
          assert.equal(found.length, 1, `not found in ${JSON.stringify(text.replace(key, '<KEY>'))}`);
          assert.equal(found[0].kind, kind);
          assert.equal(found[0].end, start + key.length);
          assert.deepEqual({ line: found[0].line, column: found[0].column }, positionOf(text, start));
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('a key glued to a body character on either side is not reported there', () => {
    fc.assert(
      fc.property(bodyChar, keyArb, fc.boolean(), (glue, { kind, key }, gluedBefore) => {
        const text = gluedBefore ? `x ${glue}${key} y` : `x ${key}${glue} y`;
        const findings = detectCredentials(text);
        if (gluedBefore || shapeOf(kind).exact) {
          assert.deepEqual(findings, []);
        } else {
          // Variable-length tokens simply take the extra character.
          assert.equal(findings.length, 1);
          assert.equal(text.slice(findings[0].start, findings[0].end), key + glue);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('ignore markers only ever remove findings', () => {
    fc.assert(
      fc.property(needleText, (text) => {
        const all = detectCredentials(text, { honourIgnoreMarkers: false }).map((f) => f.start);
        for (const f of detectCredentials(text)) {
          assert.ok(all.includes(f.start));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('several keys joined by boundaries are all found, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(keyArb, boundaryAfter), { minLength: 1, maxLength: 20 }), (items) => {
        let text = '';
        const starts: number[] = [];
        for (const [{ key }, sep] of items) {
          starts.push(text.length);
          text += key + sep;
        }
        const findings = detectCredentials(text);
        assert.deepEqual(
          findings.map((f) => f.start),
          starts,
        );
        assert.deepEqual(
          findings.map((f) => f.kind),
          items.map(([{ kind }]) => kind),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it("findCredentials (the editor's path: no line numbers) gives exactly detectCredentials' spans, markers honoured or not", () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (text, honour) => {
        const spans = findCredentials(text, { honourIgnoreMarkers: honour });
        const findings = detectCredentials(text, { honourIgnoreMarkers: honour });
        assert.deepEqual(
          spans,
          findings.map(({ kind, start, end, masked, encoding }) => (encoding ? { kind, start, end, masked, encoding } : { kind, start, end, masked })),
        );
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it('keys on one long line, and ignore markers over many lines, come out as when lines are counted (line starts found by looking back)', () => {
    const keys = fc.sample(keyArb, { numRuns: 300, seed: 12 }).map((k) => k.key);
    assert.equal(findCredentials(keys.join(' ')).length, keys.length);
    const manyLines = keys.map((k, i) => (i % 3 === 0 ? `// claude-keys:ignore-next-line\n${k}` : i % 3 === 1 ? `${k} // gitleaks:allow` : k)).join('\n');
    for (const text of [manyLines, manyLines.replace(/\n/g, '\r\n'), manyLines.replace(/\n/g, '\r')]) {
      const spans = findCredentials(text);
      assert.equal(spans.length, 100);
      assert.deepEqual(
        spans.map((span) => span.start),
        detectCredentials(text).map((f) => f.start),
      );
    }
  });
});
