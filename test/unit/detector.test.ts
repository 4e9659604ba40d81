import * as assert from 'node:assert/strict';
import { classifyCredential, type CredentialKind } from '../../src/core/credentials';
import { detectCredentials, IGNORE_MARKER, type Finding } from '../../src/core/detector';
import { positionOf, realisticKey } from '../fakes/corpus';
import { fakeKeys, randomBody } from '../fakes/keys';
import { ADMIN, ALL_KINDS, API, gen, OAT, ORT, prefix, PREFIX_OF, SID } from './detectorFixtures';

/** The single finding in `text`, checked to cover exactly `key`. */
function onlyFinding(text: string, key: string, kind: CredentialKind = 'apiKey'): Finding {
  const findings = detectCredentials(text);
  assert.equal(findings.length, 1, `expected one finding, got ${findings.length} in ${JSON.stringify(text.replace(key, '<KEY>'))}`);
  const [f] = findings;
  assert.equal(f.kind, kind);
  assert.equal(text.slice(f.start, f.end), key);
  assert.equal(f.start, text.indexOf(key));
  return f;
}

function assertNone(text: string): void {
  assert.deepEqual(
    detectCredentials(text).map((f) => `${f.kind} ${f.line}:${f.column}`),
    [],
  );
}

describe('core/detector', () => {
  describe('finds a key in every context', () => {
    const contexts: Array<[string, (key: string) => string]> = [
      ['TS double-quoted string', (k) => `const apiKey = "${k}";\n`],
      ['JS single-quoted string', (k) => `new Anthropic({ apiKey: '${k}' });\n`],
      ['JS backtick template literal', (k) => `const key = \`${k}\`;\n`],
      ['JS template with text around', (k) => `const auth = \`Bearer ${k} \${suffix}\`;\n`],
      ['Python double-quoted', (k) => `client = anthropic.Anthropic(api_key="${k}")\n`],
      ['Python f-string', (k) => `headers = {"Authorization": f"Bearer ${k}"}\n`],
      ['Python raw string', (k) => `KEY = r'${k}'\n`],
      ['Python triple-quoted', (k) => `KEY = """${k}"""\n`],
      ['Go string', (k) => `const apiKey = "${k}"\n`],
      ['Go raw string', (k) => `var apiKey = \`${k}\`\n`],
      ['Java string', (k) => `private static final String KEY = "${k}";\n`],
      ['C# verbatim string', (k) => `var key = @"${k}";\n`],
      ['C# interpolated string', (k) => `var h = $"Bearer ${k}";\n`],
      ['Ruby string', (k) => `Anthropic::Client.new(api_key: '${k}')\n`],
      ['Ruby %q()', (k) => `KEY = %q(${k})\n`],
      ['PHP string', (k) => `<?php $key = '${k}';\n`],
      ['PHP define()', (k) => `define('ANTHROPIC_API_KEY', "${k}");\n`],
      ['Rust string', (k) => `let key = "${k}";\n`],
      ['Rust raw string', (k) => `let key = r#"${k}"#;\n`],
      ['shell export, double quotes', (k) => `export ANTHROPIC_API_KEY="${k}"\n`],
      ['shell export, unquoted', (k) => `export ANTHROPIC_API_KEY=${k}\n`],
      ['shell one-shot variable', (k) => `ANTHROPIC_API_KEY='${k}' node app.js\n`],
      ['.env unquoted', (k) => `ANTHROPIC_API_KEY=${k}\n`],
      ['.env quoted', (k) => `ANTHROPIC_API_KEY="${k}"\n`],
      ['.env with export', (k) => `export ANTHROPIC_API_KEY='${k}'\n`],
      ['JSON', (k) => `{\n  "apiKey": "${k}"\n}\n`],
      ['JSON with \\u0022-escaped quotes', (k) => `{"s":"key = \\u0022${k}\\u0022"}`],
      ['string with a \\x27 escape', (k) => `"key = \\x27${k}\\x27"`],
      ['YAML plain scalar', (k) => `anthropic:\n  api_key: ${k}\n`],
      ['YAML quoted scalar', (k) => `api_key: "${k}"\n`],
      ['TOML', (k) => `[anthropic]\napi_key = "${k}"\n`],
      ['TOML literal string', (k) => `api_key = '${k}'\n`],
      ['curl -H "x-api-key: …"', (k) => `curl https://api.anthropic.com/v1/models -H "x-api-key: ${k}"\n`],
      ['curl -H "Authorization: Bearer …"', (k) => `curl -H "Authorization: Bearer ${k}" https://api.anthropic.com\n`],
      ['Dockerfile ENV', (k) => `FROM node:22\nENV ANTHROPIC_API_KEY=${k}\n`],
      ['Dockerfile ENV, space form', (k) => `ENV ANTHROPIC_API_KEY ${k}\n`],
      ['Dockerfile ARG', (k) => `ARG ANTHROPIC_API_KEY=${k}\n`],
      ['URL query string', (k) => `https://proxy.example.com/v1?key=${k}&x=1`],
      ['URL with %3D right before the key', (k) => `https://example.com/cb?state=api_key%3D${k}%26x%3D1`],
      ['URL path segment', (k) => `https://gw.example.com/${k}/v1/messages`],
      ['Markdown inline code', (k) => `Set the key to \`${k}\` and run.\n`],
      ['Markdown fenced block', (k) => `\`\`\`bash\nexport ANTHROPIC_API_KEY=${k}\n\`\`\`\n`],
      ['HTML attribute', (k) => `<div data-api-key="${k}"></div>`],
      ['HTML single-quoted attribute', (k) => `<meta content='${k}'>`],
      ['HTML &quot; entity', (k) => `<div data-cfg="{&quot;key&quot;:&quot;${k}&quot;}"></div>`],
      ['notebook source line', (k) => `{"source": ["key = \\"${k}\\"\\n"]}`],
      ['notebook: right after an escaped \\n', (k) => `{"source": ["x = 1\\n${k}\\n"]}`],
      ['right after an escaped \\t', (k) => `"key:\\t${k}"`],
      ['XML element', (k) => `<apiKey>${k}</apiKey>`],
      ['SQL literal', (k) => `INSERT INTO k VALUES ('${k}');`],
      ['comment', (k) => `// old key: ${k}\n`],
      ['start of file', (k) => `${k}\nrest`],
      ['end of file, no newline', (k) => `key = ${k}`],
      ['whole file', (k) => k],
    ];
    for (const [name, wrap] of contexts) {
      it(name, () => {
        const key = gen.apiKey();
        onlyFinding(wrap(key), key);
      });
    }

    for (const p of [',', ';', ')', ']', '}', '"', "'", '>', '\\', '&', '%', '.', ' ', '\t', '\n', '\r\n', '\r']) {
      it(`key followed by ${JSON.stringify(p)}`, () => {
        const key = gen.apiKey();
        onlyFinding(`f(${key}${p} 1`, key);
      });
    }

    for (const kind of ALL_KINDS) {
      it(`every kind: ${kind}`, () => {
        const key = gen[kind]();
        const f = onlyFinding(`token = "${key}"\n`, key, kind);
        assert.equal(classifyCredential(key), kind);
        assert.equal(f.masked, `${PREFIX_OF[kind]}…${key.slice(-4)}`);
      });
    }

    it('an OAuth token of any length from 40 body characters', () => {
      for (const n of [40, 41, 60, 200, 1000]) {
        const key = realisticKey('oauthAccessToken', n);
        onlyFinding(`t=${key};`, key, 'oauthAccessToken');
      }
      assertNone(`t=${OAT + randomBody(39)};`);
    });

    it('a minified one-line file with several keys', () => {
      const keys = [gen.apiKey(), gen.adminKey(), gen.oauthAccessToken(), gen.sessionKey()];
      const text = `!function(){var a={k:"${keys[0]}",b:'${keys[1]}'};f({t:\`${keys[2]}\`});return[${keys[3]}]}();`;
      const findings = detectCredentials(text);
      assert.deepEqual(
        findings.map((f) => text.slice(f.start, f.end)),
        keys,
      );
      assert.deepEqual(
        findings.map((f) => f.kind),
        ['apiKey', 'adminKey', 'oauthAccessToken', 'sessionKey'],
      );
      assert.ok(findings.every((f) => f.line === 0 && f.column === f.start));
    });

    it('several keys on one line, each at its own column', () => {
      const keys = [gen.apiKey(), gen.apiKey(), gen.oauthRefreshToken()];
      const text = `x\nKEYS = ["${keys[0]}", "${keys[1]}", '${keys[2]}']\n`;
      const findings = detectCredentials(text);
      assert.equal(findings.length, 3);
      findings.forEach((f, i) => {
        assert.equal(text.slice(f.start, f.end), keys[i]);
        assert.equal(f.line, 1);
        assert.equal(f.column, text.indexOf(keys[i]) - 2);
      });
    });

    it('two keys separated only by an escaped \\n', () => {
      const [a, b] = [gen.apiKey(), gen.apiKey()];
      const text = `"${a}\\n${b}"`;
      assert.deepEqual(
        detectCredentials(text).map((f) => text.slice(f.start, f.end)),
        [a, b],
      );
    });
  });

  describe('does not report', () => {
    const cases: Array<[string, () => string]> = [
      ['prefix and ...', () => `ANTHROPIC_API_KEY=${API}...`],
      ['prefix and xxxxx', () => `ANTHROPIC_API_KEY=${API}xxxxx`],
      ['YOUR_KEY_HERE', () => 'ANTHROPIC_API_KEY=YOUR_KEY_HERE'],
      ['<your-key>', () => 'x-api-key: <your-key>'],
      ['prefix and YOUR_API_KEY_HERE', () => `"${API}YOUR_API_KEY_HERE"`],
      ['bare prefixes', () => `${API} ${ADMIN} ${OAT} ${ORT} ${SID} ${prefix('')}`],
      ['a masked key', () => `${API}…${randomBody(4)}`],
      ['OpenAI project key', () => fakeKeys.openAiProjectKey()],
      ['GitHub token', () => fakeKeys.githubToken()],
      ['AWS access key id', () => 'AKIA' + randomBody(16).replace(/[-_]/g, 'X').toUpperCase()],
      ['Google API key', () => 'AIza' + randomBody(35)],
      ['identifier ant_api03', () => 'const ant_api03 = 1;'],
      ['important-api03-…', () => 'important-api03-' + randomBody(93) + 'AA'],
      ['glued: xsk-ant-…', () => 'x' + gen.apiKey()],
      ['glued: digit before', () => '9' + gen.apiKey()],
      ['glued: _ before', () => 'MY_' + gen.apiKey()],
      ['glued: - before', () => 'a-' + gen.apiKey()],
      ['glued: extra body character after', () => gen.apiKey() + 'x'],
      ['glued: extra - after', () => gen.apiKey() + '-'],
      ['glued: non-hex %zz before', () => '%zz' + gen.apiKey()],
      ['body 92', () => API + randomBody(92) + 'AA'],
      ['body 94', () => API + randomBody(94) + 'AA'],
      ['suffix AB', () => API + randomBody(93) + 'AB'],
      ['admin key, body 92', () => ADMIN + randomBody(92) + 'AA'],
      ['OAuth token, body 39', () => OAT + randomBody(39)],
      ['one repeated character', () => API + 'A'.repeat(93) + 'AA'],
      ['a long run', () => API + randomBody(40) + 'Q'.repeat(9) + randomBody(44) + 'AA'],
      ['an ascending sequence', () => API + randomBody(40) + 'abcdefghij' + randomBody(43) + 'AA'],
      ['a short repeated pattern', () => API + 'aB3_xY9-'.repeat(12).slice(0, 93) + 'AA'],
      ['the word example', () => API + randomBody(40) + 'example' + randomBody(46) + 'AA'],
      ['the word placeholder', () => API + randomBody(40) + 'placeholder' + randomBody(42) + 'AA'],
      ['the word dummy', () => API + randomBody(40) + 'Dummy' + randomBody(48) + 'AA'],
      ['the word redacted', () => API + randomBody(40) + 'REDACTED' + randomBody(45) + 'AA'],
      ['a fake OAuth token', () => OAT + 'x'.repeat(60)],
      ['an uppercase prefix', () => gen.apiKey().replace(API, API.toUpperCase())],
      ['a key broken by a space', () => API + randomBody(50) + ' ' + randomBody(43) + 'AA'],
    ];
    for (const [name, make] of cases) {
      it(name, () => assertNone(`const k = "${make()}";\n`));
    }
  });

  describe('positions', () => {
    it('offsets, line, column, endLine and endColumn', () => {
      const key = gen.apiKey();
      const text = `line zero\n\n  const k = '${key}';\nafter`;
      const f = onlyFinding(text, key);
      assert.equal(f.start, text.indexOf(key));
      assert.equal(f.end, f.start + key.length);
      assert.equal(f.line, 2);
      assert.equal(f.column, 13);
      assert.equal(f.endLine, 2);
      assert.equal(f.endColumn, 13 + key.length);
    });

    it('columns are UTF-16 code units after emoji and CJK text', () => {
      const key = gen.apiKey();
      const head = '// 🔑 鍵 😀👍🏽 キー: ';
      const text = `😀\n${head}${key}`;
      const f = onlyFinding(text, key);
      assert.equal(f.line, 1);
      assert.equal(f.column, head.length);
      assert.ok(head.length > [...head].length, 'the head has surrogate pairs');
      assert.equal(f.endColumn, head.length + key.length);
    });

    it('a key right after an emoji (a surrogate pair is a boundary)', () => {
      const key = gen.apiKey();
      const f = onlyFinding(`x = "😀${key}"`, key);
      assert.equal(f.column, 7);
    });

    it('CRLF line endings', () => {
      const [a, b] = [gen.apiKey(), gen.adminKey()];
      const text = `# header\r\nA=${a}\r\n\r\n  B="${b}"\r\n`;
      const findings = detectCredentials(text);
      assert.deepEqual(
        findings.map((f) => [f.kind, f.line, f.column, f.endLine, f.endColumn]),
        [
          ['apiKey', 1, 2, 1, 2 + a.length],
          ['adminKey', 3, 5, 3, 5 + b.length],
        ],
      );
      assert.deepEqual(
        findings.map((f) => text.slice(f.start, f.end)),
        [a, b],
      );
    });

    it('lone CR line endings count as line breaks, as in VS Code', () => {
      const [a, b] = [gen.apiKey(), gen.sessionKey()];
      const text = `first\rkey=${a}\r\rs=${b}\r`;
      assert.deepEqual(
        detectCredentials(text).map((f) => [f.kind, f.line, f.column]),
        [
          ['apiKey', 1, 4],
          ['sessionKey', 3, 2],
        ],
      );
    });

    it('mixed line endings', () => {
      const key = gen.apiKey();
      const text = `a\r\nb\rc\nd\n\r\nk=${key}`;
      const f = onlyFinding(text, key);
      assert.deepEqual([f.line, f.column], [5, 2]);
      assert.deepEqual(positionOf(text, f.start), { line: 5, column: 2 });
    });

    it('positions agree with an independent line count across many keys and line endings', () => {
      const breaks = ['\n', '\r\n', '\r', ' ', '\t', '😀 ', '\u2028'];
      let text = '';
      const expected: Array<{ line: number; column: number }> = [];
      for (let i = 0; i < 300; i++) {
        text += breaks[i % breaks.length].repeat(1 + (i % 3)) + 'k=';
        expected.push(positionOf(text, text.length));
        text += gen[ALL_KINDS[i % ALL_KINDS.length]]();
      }
      assert.deepEqual(
        detectCredentials(text).map((f) => ({ line: f.line, column: f.column })),
        expected,
      );
    });
  });

  describe('masking', () => {
    it('a finding shows the prefix and the last four characters, never the key', () => {
      for (const kind of ALL_KINDS) {
        const key = gen[kind]();
        const [f] = detectCredentials(`k=${key}`);
        assert.equal(f.masked, `${PREFIX_OF[kind]}…${key.slice(-4)}`);
        const serialized = JSON.stringify(f);
        assert.ok(!serialized.includes(key.slice(PREFIX_OF[kind].length, -4)), 'the body is not in the finding');
        const body = key.slice(PREFIX_OF[kind].length, -4);
        for (let i = 0; i + 8 <= body.length; i++) {
          assert.ok(!serialized.includes(body.slice(i, i + 8)), `body material at ${i} is in the finding`);
        }
      }
    });
  });

  describe('ignore markers', () => {
    const sameLine = [IGNORE_MARKER, 'gitleaks:allow', 'secretlint-disable-line'];
    for (const marker of sameLine) {
      it(`${marker} after the key hides it`, () => {
        const key = gen.apiKey();
        const text = `x\nconst k = "${key}"; // ${marker}\ny`;
        assert.deepEqual(detectCredentials(text), []);
        const reported = detectCredentials(text, { honourIgnoreMarkers: false });
        assert.equal(reported.length, 1);
        assert.equal(text.slice(reported[0].start, reported[0].end), key);
      });
      it(`${marker} before the key hides it`, () => {
        const key = gen.apiKey();
        assert.deepEqual(detectCredentials(`/* ${marker} */ const k = "${key}";`), []);
      });
    }
    it('the same text without a marker is reported (control)', () => {
      const key = gen.apiKey();
      onlyFinding(`x\nconst k = "${key}"; // nothing to see\ny`, key);
    });

    for (const marker of [`${IGNORE_MARKER}-next-line`, 'secretlint-disable-next-line']) {
      it(`${marker} on the line before hides the key (LF, CRLF and CR)`, () => {
        for (const eol of ['\n', '\r\n', '\r']) {
          const key = gen.apiKey();
          const text = `a${eol}// ${marker}${eol}const k = "${key}";${eol}`;
          assert.deepEqual(detectCredentials(text), [], JSON.stringify(eol));
          assert.equal(detectCredentials(text, { honourIgnoreMarkers: false }).length, 1);
        }
      });
      it(`${marker} hides only the next line`, () => {
        const [a, b, c] = [gen.apiKey(), gen.apiKey(), gen.apiKey()];
        const text = `const a = "${a}"; // ${marker}\nconst b = "${b}";\nconst c = "${c}";\n`;
        assert.deepEqual(
          detectCredentials(text).map((f) => text.slice(f.start, f.end)),
          [a, c],
        );
      });
      it(`${marker} at the very start of the file`, () => {
        const key = gen.apiKey();
        assert.deepEqual(detectCredentials(`${marker}\n${key}`), []);
      });
    }

    it('a marker on the line after the key does not hide it', () => {
      const key = gen.apiKey();
      for (const eol of ['\n', '\r\n', '\r']) {
        onlyFinding(`k = "${key}"${eol}// ${IGNORE_MARKER}${eol}`, key);
      }
    });

    it('a same-line marker on the line before does not hide the key', () => {
      const key = gen.apiKey();
      for (const eol of ['\n', '\r\n', '\r']) {
        onlyFinding(`// gitleaks:allow${eol}k = "${key}"`, key);
      }
    });

    it('an empty first line before the key', () => {
      const key = gen.apiKey();
      onlyFinding(`\n${key}`, key);
      onlyFinding(`\r\n${key}`, key);
    });

    it('a marker far away on a long minified line does not hide a key; a near one does', () => {
      const key = gen.apiKey();
      const filler = 'x=1;'.repeat(300);
      onlyFinding(`/* ${IGNORE_MARKER} */${filler}var k="${key}";`, key);
      onlyFinding(`var k="${key}";${filler}/* gitleaks:allow */`, key);
      assert.deepEqual(detectCredentials(`${filler}/* ${IGNORE_MARKER} */ var k="${key}";${filler}`), []);
      assert.deepEqual(detectCredentials(`${filler}var k="${key}"; /* gitleaks:allow */${filler}`), []);
    });

    it('a marker hides one key of a minified line but not the others far away', () => {
      const [a, b] = [gen.apiKey(), gen.apiKey()];
      const text = `var a="${a}";/* ${IGNORE_MARKER} */${'y=2;'.repeat(300)}var b="${b}";`;
      assert.deepEqual(
        detectCredentials(text).map((f) => text.slice(f.start, f.end)),
        [b],
      );
    });
  });
});
