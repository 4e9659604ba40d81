import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CREDENTIAL_SHAPES, shapeOf, type CredentialKind } from '../core/credentials';
import type { FindingEncoding } from '../core/detector';
import type { KeyIdentity } from '../core/keyIdentity';
import type { Verdict } from '../core/liveness';
import type { CliFinding } from './scanner';
import type { PathProblem } from './walk';
import { CLI_VERSION } from './version';

/** A finding with the path it is reported under (forward slashes). */
export interface Row {
  readonly path: string;
  readonly finding: CliFinding;
  /** --history: the commit that brought the key into this path. */
  readonly commit?: CommitFacts;
  /** --verify: what the API said about the key. */
  readonly verification?: Verdict;
  /** --identify: the organisation's key it is (null: none matches; absent: not asked or not an API key). */
  readonly identity?: KeyIdentity | null;
}

export interface CommitFacts {
  readonly oid: string;
  /** Author date, strict ISO 8601. */
  readonly authorDate: string;
  /** Whether the key is still in some file at HEAD. */
  readonly atHead: boolean;
}

/** How the text and SARIF messages give a verdict: "live", "revoked", "unknown: HTTP 500". */
function verdictNote(v: Verdict): string {
  return v.state === 'unknown' ? `unknown: ${v.detail}` : v.state;
}

/** How the text and SARIF messages name a commit. */
function commitNote(c: CommitFacts): string {
  return `commit ${c.oid.slice(0, 12)} of ${c.authorDate}, ${c.atHead ? 'still in HEAD' : 'no longer in HEAD'}`;
}

/** Characters that could forge or hide a line of text output (controls, ANSI escapes, bidi overrides), and the quote characters. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_QUOTING = /[\u0000-\u001f\u007f-\u009f"\\\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex -- as above
const QUOTED_CHARS = /[\u0000-\u001f\u007f-\u009f"\\\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '"': '\\"', '\\': '\\\\' };

/**
 * A file name for a line of text output. A repository's names are hostile: a line break or an ANSI
 * code in one could forge a finding or hide one. Names that hold such characters are quoted and
 * escaped the way git quotes paths ("a\nb.env"); ordinary names (any letters, spaces) stay as they are.
 */
export function escapeName(name: string): string {
  if (!NEEDS_QUOTING.test(name)) {
    return name;
  }
  const escaped = name.replace(QUOTED_CHARS, (c) => {
    const code = c.charCodeAt(0);
    return SHORT_ESCAPES[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
  return `"${escaped}"`;
}

/**
 * `path:line:column: kind masked`, one line per finding; ` (base64-encoded)` or ` (escaped)` after an
 * encoded one; history rows start `commit:` (git's commit:path) and end with the commit's facts.
 */
export function formatText(rows: readonly Row[]): string {
  let out = '';
  for (const { path: p, finding: f, commit, verification, identity } of rows) {
    const where = commit ? `${commit.oid.slice(0, 12)}:${escapeName(p)}` : escapeName(p);
    const encoded = f.encoding ? ` (${ENCODING_WORDS[f.encoding]})` : '';
    const who = identity ? ` [organisation key "${escapeName(identity.name)}", ${identity.status}]` : identity === null ? ' [not an organisation key]' : '';
    out += `${where}:${f.line}:${f.column}: ${f.kind} ${f.masked}${encoded}${messageNotes(commit, verification)}${who}\n`;
  }
  return out;
}

const ENCODING_WORDS: Record<FindingEncoding, string> = { base64: 'base64-encoded', escaped: 'escaped' };

/** "Claude API key", "base64-encoded Claude API key", "Claude API key written with escapes". */
export function describeFinding(kind: CredentialKind, encoding: FindingEncoding | undefined): string {
  const label = shapeOf(kind).label;
  return encoding === 'base64' ? `base64-encoded ${label}` : encoding === 'escaped' ? `${label} written with escapes` : label;
}

/**
 * A JSON array; columns are 1-based UTF-16 code units, endColumn one past the key's last character
 * (for an encoded key, of its encoded text). `encoding` only on encoded keys.
 */
export function formatJson(rows: readonly Row[]): string {
  const items = rows.map(({ path: p, finding: f, commit, verification, identity }) => ({
    path: p,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    kind: f.kind,
    masked: f.masked,
    ...(f.encoding ? { encoding: f.encoding } : {}),
    ...(commit ? { commit: commit.oid, authorDate: commit.authorDate, presentAtHead: commit.atHead } : {}),
    ...(verification ? { verification: verification.state, verificationDetail: verification.detail } : {}),
    ...(identity !== undefined
      ? { identity: identity && { name: identity.name, workspace: identity.workspace, status: identity.status, createdBy: identity.createdBy, createdAt: identity.createdAt } }
      : {}),
  }));
  return `${JSON.stringify(items, null, 2)}\n`;
}

/** `apiKey` → `claude-keys/api-key`. */
export function ruleId(kind: CredentialKind): string {
  return `claude-keys/${kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** API and Admin API keys spend money and manage organisations: errors. Tokens and session keys: warnings. */
export function levelOf(kind: CredentialKind): 'error' | 'warning' {
  return kind === 'apiKey' || kind === 'adminKey' ? 'error' : 'warning';
}

const REMEDIATION: Record<CredentialKind, string> = {
  apiKey: 'Revoke the key in the Claude Console (Settings > API keys), create a new one, and load it from the environment or a secret store.',
  adminKey: 'Revoke the Admin API key in the Claude Console (Settings > Admin keys) at once: it can manage members and keys. Create a new one and keep it in a secret store.',
  oauthAccessToken: 'Log out of Claude Code on the machine the token came from (or revoke it) and keep the token out of files.',
  oauthRefreshToken: 'Log out of Claude Code on the machine the token came from (or revoke it) and keep the token out of files.',
  sessionKey: 'Log out of claude.ai to end the session and keep session cookies out of files.',
};

function messageNotes(commit: CommitFacts | undefined, verification: Verdict | undefined): string {
  const notes = [...(commit ? [commitNote(commit)] : []), ...(verification ? [verdictNote(verification)] : [])];
  return notes.length > 0 ? ` (${notes.join('; ')})` : '';
}

/** A relative URI with forward slashes, each segment percent-encoded. */
function relativeUri(p: string): string {
  return p
    .split('/')
    .map((segment) => (segment === '..' || segment === '.' ? segment : encodeURIComponent(segment)))
    .join('/');
}

/** Where an artifact is: relative to %SRCROOT% (the current directory) when possible. */
function artifactLocation(p: string, cwd: string): { uri: string; uriBaseId?: string } {
  const absolute = path.resolve(cwd, p);
  const relative = path.relative(cwd, absolute);
  if (path.isAbsolute(relative)) {
    // Another drive on Windows: no relative form.
    return { uri: pathToFileURL(absolute).href };
  }
  return { uri: relativeUri(relative.split(path.sep).join('/')), uriBaseId: '%SRCROOT%' };
}

/**
 * SARIF 2.1.0 for GitHub code scanning: one rule per credential kind, one result per finding with a
 * region and a fingerprint derived from a hash of the key (never the key), read errors as
 * tool execution notifications.
 */
export function formatSarif(rows: readonly Row[], errors: readonly PathProblem[], cwd: string, head?: string): string {
  const rules = CREDENTIAL_SHAPES.map((shape) => ({
    id: ruleId(shape.kind),
    name: `Hardcoded${shape.kind[0].toUpperCase()}${shape.kind.slice(1)}`,
    shortDescription: { text: `Hard-coded ${shape.label}` },
    fullDescription: {
      text: `A ${shape.label} (${shape.prefix}…) is written into a file. Anyone who can read the file or its history can use it.`,
    },
    help: {
      text: `${REMEDIATION[shape.kind]} If the line is a deliberate test fixture, mark it with "claude-keys:ignore".`,
      markdown: `${REMEDIATION[shape.kind]}\n\nRemoving the line is not enough: the key stays in the Git history. If the line is a deliberate test fixture, mark it with \`claude-keys:ignore\`.`,
    },
    defaultConfiguration: { level: levelOf(shape.kind) },
    properties: {
      tags: ['security', 'secret', 'external/cwe/cwe-798'],
      precision: 'very-high',
      'problem.severity': levelOf(shape.kind),
      'security-severity': levelOf(shape.kind) === 'error' ? '9.1' : '7.5',
    },
  }));
  const ruleIndex = new Map(CREDENTIAL_SHAPES.map((shape, i) => [shape.kind, i]));

  // The same key twice in one file gets distinct fingerprints.
  const occurrences = new Map<string, number>();
  const results = rows.map(({ path: p, finding: f, commit, verification, identity }) => {
    const hash = f.keyHash ?? '';
    const seenKey = `${commit?.oid ?? ''}\0${p}\0${hash}`;
    const occurrence = (occurrences.get(seenKey) ?? 0) + 1;
    occurrences.set(seenKey, occurrence);
    return {
      ruleId: ruleId(f.kind),
      ruleIndex: ruleIndex.get(f.kind),
      level: levelOf(f.kind),
      message: { text: `${describeFinding(f.kind, f.encoding)} ${f.masked}${messageNotes(commit, verification)}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifactLocation(p, cwd),
            region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
          },
        },
      ],
      partialFingerprints: { 'claudeKeys/keyHash/v1': `${hash}:${occurrence}`, ...(commit ? { 'claudeKeys/commit/v1': commit.oid } : {}) },
      // History: the file as it was in that commit, which HEAD may no longer hold.
      ...(f.encoding || commit || verification || identity !== undefined
        ? {
            properties: {
              ...(f.encoding ? { encoding: f.encoding } : {}),
              ...(commit ? { commit: commit.oid, authorDate: commit.authorDate, presentAtHead: commit.atHead } : {}),
              ...(verification ? { verification: verification.state, verificationDetail: verification.detail } : {}),
              // --identify: which organisation key it is (null: none), so a code-scanning alert says whose key to disable.
              ...(identity !== undefined ? { identity: identity && { name: identity.name, workspace: identity.workspace, status: identity.status } } : {}),
            },
          }
        : {}),
    };
  });

  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'claude-keys', version: CLI_VERSION, semanticVersion: CLI_VERSION, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd.endsWith(path.sep) ? cwd : cwd + path.sep).href } },
        // --history: the repository and the commit that was HEAD when it was scanned.
        ...(head ? { versionControlProvenance: [{ repositoryUri: pathToFileURL(cwd).href, revisionId: head, mappedTo: { uriBaseId: '%SRCROOT%' } }] } : {}),
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: errors.length === 0,
            toolExecutionNotifications: errors.map((e) => ({
              level: 'error',
              message: { text: `cannot read ${e.path}: ${e.reason}` },
              locations: [{ physicalLocation: { artifactLocation: artifactLocation(e.path, cwd) } }],
            })),
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
