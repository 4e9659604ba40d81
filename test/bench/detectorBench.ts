import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CredentialKind } from '../../src/core/credentials';
import { detectInFile } from '../../src/core/byteScan';
import { detectCredentials, findCredentials } from '../../src/core/detector';
import { caseBytes, scoreCorpus, type CorpusCase, type CorpusScore } from '../fakes/corpus';
import { fakeKeys } from '../fakes/keys';
import { runChild } from './children';
import type { JsonFinding } from './peerFindings';
import { CLI, GOALS, MB, median, verdict } from './scanBenchBasics';
import { buildDocument } from './textGen';

/** The detector in memory on a 10 MB document, and the labelled corpus through the CLI. */

export function benchDetector(): string[] {
  const values = [fakeKeys.apiKey(), fakeKeys.apiKey(), fakeKeys.sessionKey(), fakeKeys.apiKey()];
  const text = buildDocument(10 * MB, values);
  const bytes = Buffer.from(text, 'utf8');
  // The three paths, interleaved so that load on the machine falls on all alike.
  const paths = { lines: () => detectCredentials(text).length, bytes: () => detectInFile(bytes, bytes.length, true)?.length ?? 0, spans: () => findCredentials(text).length };
  const times = { lines: [] as number[], bytes: [] as number[], spans: [] as number[] };
  const counts = { lines: 0, bytes: 0, spans: 0 };
  const order = ['lines', 'bytes', 'spans'] as const;
  for (let i = 0; i < 36; i++) {
    for (const name of i % 2 === 0 ? order : [...order].reverse()) {
      const started = performance.now();
      counts[name] = paths[name]();
      if (i >= 5) {
        times[name].push(performance.now() - started);
      }
    }
  }
  const line = (label: string, name: keyof typeof paths): string => {
    const med = median(times[name]);
    const all = times[name];
    return `${label}: median ${med.toFixed(2)} ms over ${all.length} runs (min ${Math.min(...all).toFixed(2)}, max ${Math.max(...all).toFixed(2)}), ${(text.length / MB / (med / 1000)).toFixed(0)} MB/s, found ${counts[name]}/${values.length}`;
  };
  const med = median(times.lines);
  return [
    `detector, ${(text.length / MB).toFixed(1)} M chars in memory, ${values.length} keys:`,
    `  ${line('as UTF-8 bytes, with line numbers (the CLI, Scan Workspace)', 'bytes')}`,
    `  ${line('as a string, with line numbers (UTF-16 files)', 'lines')}`,
    `  ${line('as a string, offsets only (open documents: each has its lines)', 'spans')}`,
    `  goal ≤ ${GOALS.detectorMs} ms with line numbers: ${verdict(med <= GOALS.detectorMs && Object.values(counts).every((n) => n === values.length))}`,
  ];
}

export function formatScore(s: CorpusScore): string {
  return `precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)} (TP ${s.truePositives}, FP ${s.falsePositives}, FN ${s.falseNegatives})`;
}

/** The corpus through the CLI: each case as a file, all scanned in one run, scored like the detector. */
export async function corpusThroughCli(cases: readonly CorpusCase[]): Promise<CorpusScore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-keys-bench-corpus-'));
  try {
    const files = cases.map((c, i) => {
      const relative = path.join(`case-${String(i).padStart(3, '0')}`, ...c.fileName.split('/'));
      fs.mkdirSync(path.join(dir, path.dirname(relative)), { recursive: true });
      fs.writeFileSync(path.join(dir, relative), caseBytes(c));
      return relative.split(path.sep).join('/');
    });
    const result = await runChild(process.execPath, [CLI, 'scan', '--format', 'json', '--', ...files], { cwd: dir, timeoutMs: 30_000 });
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    // The CLI's 1-based positions, per case text, scored by the same scoreCorpus as the detector
    // (cases with the same text are the same file content, so they get the same findings).
    const byText = new Map(
      cases.map((c, i) => [c.text, findings.filter((f) => f.path === files[i]).map((f) => ({ kind: f.kind as CredentialKind, line: f.line - 1, column: f.column - 1 }))]),
    );
    return scoreCorpus(cases, (text) => byText.get(text) ?? []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
