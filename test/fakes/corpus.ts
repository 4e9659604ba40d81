import { shapeOf, type CredentialKind } from '../../src/core/credentials';
import { detectCredentials, looksFake, type Finding } from '../../src/core/detector';
import { encodedCases } from './encodedCorpus';
import { fakeKeys, randomBody } from './keys';

/**
 * A labelled accuracy corpus for the hard-coded-key detector, built at run time: every key-shaped
 * string is generated here (random bodies from `fakeKeys`, prefixes assembled with `join`), so no
 * key-shaped literal is ever committed. Positions are 0-based lines and UTF-16 columns, counting
 * line breaks the way VS Code does (\r\n, \r or \n), like `Finding`.
 */
export interface CorpusCase {
  name: string;
  fileName: string;
  /** The text as the editor shows it. */
  text: string;
  /** How the file is stored when not UTF-8 (the CLI reads these bytes): see caseBytes. */
  fileEncoding?: CorpusFileEncoding;
  /** `decoded`: for a key written encoded, the key it stands for (checks the labels). */
  expected: Array<{ kind: CredentialKind; line: number; column: number; decoded?: string }>;
}

export type CorpusFileEncoding = 'utf-16le-bom' | 'utf-16be-bom' | 'utf-16le';

/** The bytes of a case's file: UTF-8, or UTF-16 with or without a byte order mark. */
export function caseBytes(c: CorpusCase): Buffer {
  if (!c.fileEncoding) {
    return Buffer.from(c.text, 'utf8');
  }
  const bom = c.fileEncoding.endsWith('-bom') ? '\ufeff' : '';
  const bytes = Buffer.from(bom + c.text, 'utf16le');
  return c.fileEncoding.startsWith('utf-16be') ? bytes.swap16() : bytes;
}

export interface CorpusScore {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** TP / (TP + FP); 1 when nothing was reported. */
  precision: number;
  /** TP / (TP + FN); 1 when nothing was expected. */
  recall: number;
}

/** A key the detector must report at the place it is interpolated (`value` is what is written; `decoded`, the key it encodes). */
interface Expected {
  readonly expect: CredentialKind;
  readonly value: string;
  readonly decoded?: string;
}

type Part = string | number | Expected;

/** `sk-ant-<name>-`, assembled so no key prefix is written down. */
const prefix = (name: string): string => ['sk', 'ant', name, ''].join('-');
const API = prefix('api03');
const ADMIN = prefix('admin01');
const OAT = prefix('oat01');
const ANT = ['sk', 'ant', ''].join('-');

/** 0-based line and UTF-16 column of `offset`, counting \r\n, \r and \n as one break each. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const breaks = before.match(/\r\n|\r|\n/g) ?? [];
  const lastBreak = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return { line: breaks.length, column: offset - (lastBreak + 1) };
}

/** A case from alternating text and keys; the expected findings are the `Expected` parts. */
function assemble(name: string, fileName: string, parts: readonly Part[], fileEncoding?: CorpusFileEncoding): CorpusCase {
  let text = '';
  const expected: CorpusCase['expected'] = [];
  for (const part of parts) {
    if (typeof part === 'object') {
      expected.push({ kind: part.expect, ...positionOf(text, text.length), ...(part.decoded ? { decoded: part.decoded } : {}) });
      text += part.value;
    } else {
      text += String(part);
    }
  }
  return fileEncoding ? { name, fileName, text, fileEncoding, expected } : { name, fileName, text, expected };
}

/** `c(name, file)\`…${k()}…\``: a case whose expected findings are the interpolated `Expected` keys. */
function c(name: string, fileName: string) {
  return (strings: TemplateStringsArray, ...values: Part[]): CorpusCase => {
    const parts: Part[] = [strings[0]];
    values.forEach((value, i) => parts.push(value, strings[i + 1]));
    return assemble(name, fileName, parts);
  };
}

/**
 * A generated credential whose body does not look fake. About 3 in a million random bodies hold a
 * placeholder word ("xxxxx", "insert", "dummy"…) and are skipped by the detector on purpose; tests that
 * expect every key to be found draw again instead of failing now and then.
 */
export function realisticKey(kind: CredentialKind, bodyLength?: number): string {
  const { prefix, suffix } = shapeOf(kind);
  for (;;) {
    const key = bodyLength === undefined ? fakeKeys[kind]() : prefix + randomBody(bodyLength) + suffix;
    if (!looksFake(key.slice(prefix.length, key.length - suffix.length))) {
      return key;
    }
  }
}

/** Random [A-Za-z0-9] characters. */
const alnum = (n: number): string => randomBody(n).replace(/[-_]/g, 'x');

export function buildCorpus(): CorpusCase[] {
  const k = (kind: CredentialKind = 'apiKey'): Expected => ({ expect: kind, value: realisticKey(kind) });
  const api = (): string => realisticKey('apiKey');
  /** A full-length API key whose 93-character body is `body` (padded or cut to length). */
  const apiWithBody = (body: string): string => API + body.padEnd(93, body).slice(0, 93) + 'AA';
  /** A random body with `word` in the middle. */
  const withWord = (word: string): string => randomBody(40) + word + randomBody(93 - 40 - word.length);

  const positives: CorpusCase[] = [
    // JavaScript / TypeScript
    c('ts: double-quoted string', 'src/client.ts')`import Anthropic from '@anthropic-ai/sdk';\nconst apiKey = "${k()}";\nexport const client = new Anthropic({ apiKey });\n`,
    c('js: single-quoted string', 'index.js')`const client = new Anthropic({ apiKey: '${k()}' });\n`,
    c('js: backtick template literal', 'fetch.mjs')`const headers = {\n  'x-api-key': \`${k()}\`,\n  'anthropic-version': '2023-06-01',\n};\n`,
    c('ts: inside a template with text around', 'auth.ts')`const auth = \`Bearer ${k()}\`;\n`,
    c('ts: JSON-style escape \\n right before the key', 'notes.ts')`const text = "first line\\n${k()}";\n`,
    c('js: key in a comment', 'old.js')`// TODO remove: ${k()}\nmodule.exports = {};\n`,
    // Python
    c('python: double-quoted string', 'main.py')`import anthropic\n\nclient = anthropic.Anthropic(api_key="${k()}")\n`,
    c('python: f-string', 'headers.py')`headers = {"Authorization": f"Bearer ${k()}"}\n`,
    c('python: raw string', 'config.py')`API_KEY = r'${k()}'\n`,
    c('python: triple-quoted string', 'doc.py')`KEY = """${k()}"""\n`,
    c('python: hex escape \\x27 before the key', 'escaped.py')`line = "key = \\x27${k()}\\x27"\n`,
    // Go, Java, C#, Ruby, PHP, Rust
    c('go: interpreted string', 'main.go')`package main\n\nconst apiKey = "${k()}"\n`,
    c('go: raw string', 'raw.go')`var adminKey = \`${k('adminKey')}\`\n`,
    c('go: struct literal', 'cfg.go')`cfg := Config{APIKey: "${k()}", Timeout: 30}\n`,
    c('java: static final String', 'Client.java')`public class Client {\n    private static final String KEY = "${k()}";\n}\n`,
    c('c#: verbatim string', 'Program.cs')`var key = @"${k()}";\n`,
    c('c#: interpolated string', 'Auth.cs')`var header = $"Bearer ${k()}";\n`,
    c('ruby: symbol argument', 'client.rb')`client = Anthropic::Client.new(api_key: '${k()}')\n`,
    c('ruby: %q() literal', 'key.rb')`KEY = %q(${k()})\n`,
    c('php: single-quoted', 'config.php')`<?php\n$key = '${k()}';\n`,
    c('php: define()', 'wp-config.php')`define('ANTHROPIC_API_KEY', "${k()}");\n`,
    c('rust: string', 'main.rs')`let key = "${k()}";\n`,
    c('rust: raw string', 'raw.rs')`let key = r#"${k()}"#;\n`,
    // Shell, env files, config formats
    c('shell: export with double quotes', 'setup.sh')`#!/bin/sh\nexport ANTHROPIC_API_KEY="${k()}"\n`,
    c('shell: unquoted export', 'env.sh')`export ANTHROPIC_API_KEY=${k()}\n`,
    c('shell: one-shot variable, single quotes', 'run.sh')`ANTHROPIC_API_KEY='${k()}' node app.js\n`,
    c('.env: unquoted, quoted, export, every kind', '.env')`# local only\nANTHROPIC_API_KEY=${k()}\nANTHROPIC_ADMIN_KEY="${k('adminKey')}"\nexport CLAUDE_CODE_OAUTH_TOKEN='${k('oauthAccessToken')}'\nCLAUDE_REFRESH=${k('oauthRefreshToken')}\nCLAUDE_SESSION="${k('sessionKey')}"\n`,
    c('.env: spaces around =', '.env.local')`ANTHROPIC_API_KEY = ${k()}\n`,
    c('json: pretty-printed', 'config.json')`{\n  "anthropic": {\n    "apiKey": "${k()}",\n    "model": "claude"\n  }\n}\n`,
    c('json: \\u0022-escaped quotes (System.Text.Json)', 'appsettings.json')`{"Script":"key = \\u0022${k()}\\u0022"}\n`,
    c('yaml: plain and quoted scalars', 'config.yaml')`anthropic:\n  api_key: ${k()}\n  admin_key: "${k('adminKey')}"\n`,
    c('yaml: kubernetes stringData', 'secret.yaml')`apiVersion: v1\nkind: Secret\nstringData:\n  ANTHROPIC_API_KEY: '${k()}'\n`,
    c('toml: basic and literal strings', 'config.toml')`[anthropic]\napi_key = "${k()}"\nsession = '${k('sessionKey')}'\n`,
    c('ini / properties', 'app.properties')`anthropic.api.key=${k()}\n`,
    c('terraform', 'main.tf')`variable "key" {\n  default = "${k()}"\n}\n`,
    c('xml element', 'settings.xml')`<settings><apiKey>${k()}</apiKey></settings>\n`,
    c('sql literal', 'seed.sql')`INSERT INTO keys (value) VALUES ('${k()}');\n`,
    c('csv cell', 'keys.csv')`name,key\nprod,${k()}\n`,
    c('log line', 'app.log')`2024-01-01T00:00:00Z DEBUG request key=${k()} status=200\n`,
    // HTTP
    c('curl: x-api-key header', 'call.sh')`curl https://api.anthropic.com/v1/messages \\\n  -H "x-api-key: ${k()}" \\\n  -H "anthropic-version: 2023-06-01"\n`,
    c('curl: Authorization Bearer', 'call2.sh')`curl -s https://api.anthropic.com/v1/models -H "Authorization: Bearer ${k()}"\n`,
    c('http cookie: session key', 'request.http')`GET https://claude.ai/api/organizations\nCookie: sessionKey=${k('sessionKey')}; other=1\n`,
    c('Dockerfile: ENV and ARG', 'Dockerfile')`FROM node:22\nARG ANTHROPIC_API_KEY=${k()}\nENV ANTHROPIC_API_KEY=${k()}\nENV CLAUDE_TOKEN ${k('oauthAccessToken')}\n`,
    c('url: query string', 'links.txt')`https://proxy.example.com/v1?key=${k()}&x=1\n`,
    c('url: percent-encoded = before the key', 'callback.txt')`https://example.com/cb?state=api_key%3D${k()}%26x%3D1\n`,
    c('url: percent-encoded space (Bearer%20)', 'trace.txt')`authorization=Bearer%20${k()}\n`,
    c('url: path segment', 'routes.txt')`https://gateway.example.com/${k()}/v1/messages\n`,
    // Markdown, HTML, notebooks
    c('markdown: inline code', 'README.md')`Set \`ANTHROPIC_API_KEY\` to \`${k()}\` and run.\n`,
    c('markdown: fenced block', 'SETUP.md')`# Setup\n\n\`\`\`bash\nexport ANTHROPIC_API_KEY=${k()}\n\`\`\`\n`,
    c('html: double-quoted attribute', 'index.html')`<div id="app" data-api-key="${k()}"></div>\n`,
    c('html: single-quoted attribute and &quot; entity', 'page.html')`<meta name='k' content='${k()}'>\n<div data-cfg="{&quot;key&quot;:&quot;${k()}&quot;}"></div>\n`,
    c('html: element text', 'snippet.html')`<code>${k()}</code>\n`,
    c('ipynb: JSON-escaped source line', 'demo.ipynb')`{"cells":[{"cell_type":"code","source":["import anthropic\\n","key = \\"${k()}\\"\\n"]}]}\n`,
    c('ipynb: key right after an escaped \\n', 'out.ipynb')`{"outputs":[{"text":["Your key:\\n${k()}\\n"]}]}\n`,
    c('ipynb: key right after an escaped \\t', 'tab.ipynb')`{"source":["key:\\t${k('oauthAccessToken')}"]}\n`,
    // Layout
    c('minified one-line file with several keys', 'bundle.min.js')`!function(){var a={k:"${k()}",b:'${k('adminKey')}'};fetch(u,{headers:{"x-api-key":a.k,t:\`${k('oauthAccessToken')}\`}});return[${k('sessionKey')}]}();`,
    assemble('CRLF line endings', 'win.env', ['# windows\r\n', 'A=1\r\n', 'ANTHROPIC_API_KEY=', k(), '\r\n', 'B="', k('adminKey'), '"\r\n']),
    assemble('lone CR line endings (classic Mac)', 'mac.txt', ['first\r', 'key=', k(), '\r', 'second=', k('sessionKey'), '\r']),
    assemble('mixed line endings', 'mixed.txt', ['a\r\n', 'b\r', 'c\n', 'k=', k(), '\n']),
    c('several keys on one line', 'keys.py')`KEYS = ["${k()}", "${k()}", '${k('oauthRefreshToken')}']\n`,
    c('two keys separated by an escaped \\n', 'pair.json')`{"keys":"${k()}\\n${k()}"}\n`,
    c('emoji and CJK before the key (UTF-16 columns)', 'i18n.ts')`// 🔑 キー 😀\nconst 鍵 = "😀${k()}";\n`,
    c('tab-indented', 'Makefile')`deploy:\n\tANTHROPIC_API_KEY=${k()} ./deploy.sh\n`,
    // Every kind
    c('admin key', 'admin.ts')`const adminKey = '${k('adminKey')}';\n`,
    c('OAuth access token', 'claude.json')`{"accessToken":"${k('oauthAccessToken')}"}\n`,
    c('OAuth refresh token', 'claude.json')`{"refreshToken":"${k('oauthRefreshToken')}"}\n`,
    c('session key', 'cookies.txt')`sessionKey=${k('sessionKey')}\n`,
    assemble('long OAuth token (200-character body)', 'long.txt', ['token: ', { expect: 'oauthAccessToken', value: realisticKey('oauthAccessToken', 200) }, '\n']),
    // Start and end of file
    c('key at the very start of the file', 'start.txt')`${k()}\nrest\n`,
    c('file that is only a key', 'only.txt')`${k()}`,
    c('key at the very end, no newline', 'end.txt')`key = ${k()}`,
    // Punctuation after the key
    ...[',', ';', ')', ']', '}', '"', "'", '>'].map((p) => assemble(`key followed by ${p}`, 'punct.txt', ['x(', k(), `${p} 1\n`])),
    // Markers that must not hide a key
    c('next-line marker two lines above does not hide', 'far.ts')`// claude-keys:ignore-next-line\nconst a = 1;\nconst k = "${k()}";\n`,
    c('next-line marker on the same line does not hide that line', 'same.ts')`const a = "${k()}"; // claude-keys:ignore-next-line\nconst b = "${api()}";\n`,
    c('secretlint-disable-next-line on the key line does not hide it', 'same2.ts')`const a = "${k()}"; // secretlint-disable-next-line\nconst b = 1;\n`,
    assemble('marker far away on a long minified line does not hide', 'far.min.js', [
      'var z="claude-keys:ignore";' + 'x=1;'.repeat(400),
      'var k="',
      k(),
      '";' + 'y=2;'.repeat(400) + '/* gitleaks:allow */',
    ]),
  ];

  const negatives: CorpusCase[] = [
    // Documentation placeholders
    c('placeholder: prefix and ...', 'README.md')`export ANTHROPIC_API_KEY=${API}...\n`,
    c('placeholder: prefix and xxxxx', 'README.md')`ANTHROPIC_API_KEY=${API}xxxxx\n`,
    c('placeholder: YOUR_KEY_HERE', '.env.example')`ANTHROPIC_API_KEY=YOUR_KEY_HERE\n`,
    c('placeholder: <your-key>', 'docs.md')`curl -H "x-api-key: <your-key>" https://api.anthropic.com/v1/models\n`,
    c('placeholder: prefix and YOUR_API_KEY_HERE', 'docs.md')`apiKey: "${API}YOUR_API_KEY_HERE"\n`,
    c('placeholder: bare prefixes in prose', 'docs.md')`API keys start with \`${API}\`, admin keys with \`${ADMIN}\`, all with \`${ANT}\`.\n`,
    c('masked key', 'log.txt')`using key ${API}…${alnum(4)}\n`,
    // Full-length but fake bodies
    c('fake body: one repeated character', 'fake.ts')`const k = "${apiWithBody('A')}";\n`,
    c('fake body: all x', 'fake.ts')`const k = "${apiWithBody('x')}";\n`,
    c('fake body: long run in random text', 'fake.ts')`const k = "${apiWithBody(randomBody(40) + 'Q'.repeat(10) + randomBody(43))}";\n`,
    c('fake body: ascending sequence', 'fake.ts')`const k = "${apiWithBody(randomBody(40) + 'abcdefghijk' + randomBody(42))}";\n`,
    c('fake body: digits ascending', 'fake.ts')`const k = "${apiWithBody('0123456789')}";\n`,
    c('fake body: short repeated pattern', 'fake.ts')`const k = "${apiWithBody('aB3_xY9-')}";\n`,
    c('fake body: 12-character repeated pattern', 'fake.ts')`const k = "${apiWithBody('Zq7Lm2Np9Rt4')}";\n`,
    c('fake body: "example"', 'fake.ts')`const k = "${apiWithBody(withWord('example'))}";\n`,
    c('fake body: "placeholder"', 'fake.ts')`const k = "${apiWithBody(withWord('placeholder'))}";\n`,
    c('fake body: "dummy"', 'fake.ts')`const k = "${apiWithBody(withWord('dummy'))}";\n`,
    c('fake body: "REDACTED"', 'fake.ts')`const k = "${apiWithBody(withWord('REDACTED'))}";\n`,
    c('fake body: "your_api_key"', 'fake.ts')`const k = "${apiWithBody(withWord('your_api_key'))}";\n`,
    c('fake admin key body', 'fake.ts')`const k = "${ADMIN + 'A'.repeat(93)}AA";\n`,
    c('fake OAuth token body', 'fake.ts')`const t = "${OAT + 'x'.repeat(60)}";\n`,
    // Other providers
    c('OpenAI project key', 'openai.env')`OPENAI_API_KEY=${fakeKeys.openAiProjectKey()}\n`,
    c('GitHub token', 'gh.env')`GITHUB_TOKEN=${fakeKeys.githubToken()}\n`,
    c('AWS access key id', 'aws.env')`AWS_ACCESS_KEY_ID=${['AKIA', alnum(16).toUpperCase()].join('')}\n`,
    c('Google API key', 'gcp.env')`GOOGLE_API_KEY=${['AIza', alnum(35)].join('')}\n`,
    // Identifiers that merely contain the words
    c('identifier ant_api03', 'ids.ts')`const ant_api03 = 1;\n`,
    c('important-api03- token', 'ids.txt')`${'important-api03-' + randomBody(93)}AA\n`,
    c('glued: CSS class .ta + key', 'ids.css')`.ta${api()} { color: red }\n`,
    // Glued into a longer token
    c('glued: xsk-ant-…', 'glued.txt')`token=x${api()}\n`,
    c('glued: _ before the prefix', 'glued.txt')`MY_${api()}\n`,
    c('glued: extra body character after the key', 'glued.txt')`key = "${api()}x"\n`,
    c('glued: extra - after the key', 'glued.txt')`key = "${api()}-"\n`,
    c('glued: non-hex %zz before the key', 'glued.txt')`q=%zz${api()}\n`,
    // Wrong shape
    c('wrong length: 92-character body', 'short.ts')`const k = "${API + randomBody(92)}AA";\n`,
    c('wrong length: 94-character body', 'long.ts')`const k = "${API + randomBody(94)}AA";\n`,
    c('wrong suffix AB', 'suffix.ts')`const k = "${API + randomBody(93)}AB";\n`,
    c('OAuth token too short (39)', 'short.ts')`const t = "${OAT + randomBody(39)}";\n`,
    c('key broken by a space', 'wrapped.txt')`${API + randomBody(50)} ${randomBody(43)}AA\n`,
    c('key broken by a non-ASCII letter', 'accent.txt')`${API + randomBody(50)}é${randomBody(42)}AA\n`,
    // Ignore markers
    c('marker: claude-keys:ignore', 'ok.ts')`const k = "${api()}"; // claude-keys:ignore\n`,
    c('marker: gitleaks:allow', 'ok.ts')`const k = "${api()}"; // gitleaks:allow\n`,
    c('marker: secretlint-disable-line', 'ok.ts')`const k = "${api()}"; // secretlint-disable-line\n`,
    c('marker: secretlint-disable-next-line above', 'ok.ts')`// secretlint-disable-next-line\nconst k = "${api()}";\n`,
    c('marker: claude-keys:ignore-next-line above', 'ok.py')`# claude-keys:ignore-next-line\nKEY = "${api()}"\n`,
    assemble('marker: next-line marker above, CRLF', 'ok.env', ['# claude-keys:ignore-next-line\r\n', 'ANTHROPIC_API_KEY=', api(), '\r\n']),
    assemble('marker: next-line marker above, lone CR', 'ok.txt', ['# secretlint-disable-next-line\r', 'key=', api(), '\r']),
    c('marker: before the key on its line', 'ok.ts')`/* claude-keys:ignore */ const k = "${api()}";\n`,
  ];

  const encoded = encodedCases({ assemble, realisticKey, apiWithBody });
  return [...positives, ...encoded.positives, ...negatives, ...encoded.negatives];
}

/**
 * Scores `detect` on `cases`: a finding is a true positive when an expected entry of its case has
 * the same kind, line and column (each expected entry matches at most once).
 */
export function scoreCorpus(
  cases: readonly CorpusCase[],
  detect: (text: string) => ReadonlyArray<Pick<Finding, 'kind' | 'line' | 'column'>> = detectCredentials,
): CorpusScore {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  for (const testCase of cases) {
    const remaining = [...testCase.expected];
    for (const f of detect(testCase.text)) {
      const i = remaining.findIndex((e) => e.kind === f.kind && e.line === f.line && e.column === f.column);
      if (i === -1) {
        falsePositives++;
      } else {
        remaining.splice(i, 1);
        truePositives++;
      }
    }
    falseNegatives += remaining.length;
  }
  const reported = truePositives + falsePositives;
  const wanted = truePositives + falseNegatives;
  return {
    truePositives,
    falsePositives,
    falseNegatives,
    precision: reported === 0 ? 1 : truePositives / reported,
    recall: wanted === 0 ? 1 : truePositives / wanted,
  };
}
