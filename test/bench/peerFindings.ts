import * as path from 'node:path';
import type { Measured } from './peerRuns';
import { ROOT } from './scanBenchBasics';
import { TREE_DIR, type Manifest } from './tree';

/** What the CLI and secretlint found in the tree, against the tree's manifest. */

/** Repository-relative path of a finding reported relative to ROOT, made relative to the tree. */
export function treeRelative(reported: string, from: string): string {
  return path.relative(TREE_DIR, path.resolve(from, reported)).split(path.sep).join('/');
}

export interface JsonFinding {
  path: string;
  line: number;
  column: number;
  kind: string;
  masked: string;
}

export interface CliComparison {
  readonly found: number;
  readonly missing: string[];
  readonly unexpected: string[];
  /** Unexpected findings in files that hold a placeholder. */
  readonly onPlaceholders: number;
  readonly stdout: string;
}

export function compareCli(m: Measured | undefined, manifest: Manifest): CliComparison | undefined {
  if (!m?.last) {
    return undefined;
  }
  const findings = JSON.parse(m.last.stdout) as JsonFinding[];
  const want = new Set(manifest.expected.map((e) => `${e.path}:${e.line}:${e.column} ${e.kind} ${e.masked}`));
  const placeholderFiles = new Set(manifest.placeholders.map((p) => p.path));
  const got = findings.map((f) => ({ path: treeRelative(f.path, ROOT), key: `${treeRelative(f.path, ROOT)}:${f.line}:${f.column} ${f.kind} ${f.masked}` }));
  const unexpected = got.filter((g) => !want.has(g.key));
  return {
    found: got.filter((g) => want.has(g.key)).length,
    missing: [...want].filter((w) => !got.some((g) => g.key === w)),
    unexpected: unexpected.map((g) => g.key),
    onPlaceholders: unexpected.filter((g) => placeholderFiles.has(g.path)).length,
    stdout: m.last.stdout,
  };
}

/** secretlint --format unix: `path:line:column: [ID] message [Error/rule]`, 1-based line, 0-based column. */
export function compareSecretlint(m: Measured | undefined, manifest: Manifest, cli: CliComparison | undefined): string[] {
  if (!m?.last) {
    return ['secretlint: no result'];
  }
  const reported = m.last.stdout
    .split('\n')
    .map((line) => /^(.+?):(\d+):(\d+): \[/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ path: treeRelative(match[1], ROOT), line: Number(match[2]), column: Number(match[3]) + 1 }));
  const isAt = (r: { path: string; line: number; column: number }, e: { path: string; line: number; column: number }): boolean =>
    r.path === e.path && r.line === e.line && r.column === e.column;
  const api = manifest.expected.filter((e) => e.kind === 'apiKey');
  const other = manifest.expected.filter((e) => e.kind !== 'apiKey');
  const apiFound = api.filter((e) => reported.some((r) => isAt(r, e))).length;
  const otherFound = other.filter((e) => reported.some((r) => isAt(r, e))).length;
  const extra = reported.filter((r) => !manifest.expected.some((e) => isAt(r, e)));
  const placeholderFiles = new Set(manifest.placeholders.map((p) => p.path));
  const onPlaceholders = extra.filter((r) => placeholderFiles.has(r.path)).length;
  const fullLengthPlaceholders = manifest.placeholders.filter((p) => p.fullLength).length;
  return [
    `secretlint: ${apiFound}/${api.length} API keys, ${otherFound}/${other.length} other credentials (admin key, OAuth tokens, session key: outside its rule)`,
    `secretlint: ${extra.length} further report(s), ${onPlaceholders} on placeholder lines (the tree has ${fullLengthPlaceholders} full-length placeholders such as ${'x'.repeat(8)}…AA; claude-keys reports ${cli ? cli.onPlaceholders : 'no result'})`,
  ];
}
