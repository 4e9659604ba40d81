import * as fs from 'node:fs';
import * as path from 'node:path';
import { countsText, summaryLine, type LayerResult } from './layerResult';
import { runE2e } from './runE2e';
import { runIntegration, runRestricted } from './runIntegration';
import { runMochaLayer } from './runMocha';
import { runVsix } from './runVsix';
import { ensureTools, REPO_ROOT } from './tools';

/**
 * `npm test`: unit tests in plain Node, integration tests inside code-server's extension host, e2e
 * tests driving the workbench in Chromium, then the packaged .vsix installed and driven the same way.
 * Each layer ends with `layer: N passed, N failed`.
 * `restricted` runs the integration host again with workspace trust on, in an untrusted hostile folder.
 * Usage: node out/test/harness/runAll.js [unit|integration|restricted|e2e|vsix ...] [--screenshots]
 * `--screenshots` refreshes the README and walkthrough pictures in media/getting-started.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--screenshots')) {
    process.env.CLAUDE_KEYS_SCREENSHOTS = '1';
  }
  const wanted = new Set(args.filter((a) => !a.startsWith('--')));
  const runs = (layer: string): boolean => wanted.size === 0 || wanted.has(layer);
  const resultsDir = path.join(REPO_ROOT, 'test-results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const out = path.join(REPO_ROOT, 'out', 'test');
  const results: LayerResult[] = [];
  const record = (outcome: LayerResult): void => {
    // A layer that ran nothing (no files found, all filtered out) must not pass as green.
    const result = !outcome.error && outcome.passed + outcome.failed === 0 ? { ...outcome, error: 'ran no tests' } : outcome;
    results.push(result);
    if (result.error) {
      console.log(`${result.layer}: ERROR ${result.error}`);
    }
    console.log(summaryLine(result));
  };

  if (runs('unit')) {
    console.log('\n=== unit (plain Node) ===');
    record(await runMochaLayer('unit', path.join(out, 'unit'), 5_000));
  }
  if (runs('integration') || runs('restricted') || runs('e2e') || runs('vsix')) {
    const started = Date.now();
    const tools = ensureTools();
    console.log(`tools ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (runs('integration')) {
      console.log('\n=== integration (real extension host in code-server) ===');
      record(await safely('integration', () => runIntegration(tools, resultsDir)));
    }
    if (runs('restricted')) {
      console.log('\n=== restricted (real extension host, workspace trust on, untrusted hostile folder) ===');
      record(await safely('restricted', () => runRestricted(tools, resultsDir)));
    }
    if (runs('e2e')) {
      console.log('\n=== e2e (workbench in Chromium) ===');
      record(await safely('e2e', () => runE2e(tools, resultsDir)));
    }
    if (runs('vsix')) {
      console.log('\n=== vsix (the packaged extension, installed fresh) ===');
      record(await safely('vsix', () => runVsix(tools, resultsDir)));
    }
  }

  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const skipped = results.reduce((n, r) => n + (r.skipped ?? 0), 0);
  const broken = results.filter((r) => r.error).length;
  console.log('');
  for (const r of results) {
    console.log(summaryLine(r) + (r.error ? ` (${r.error})` : ''));
  }
  // A layer that could not finish counts as a failure even if nothing it ran failed.
  console.log(countsText(passed, failed + broken, skipped));
  return failed + broken === 0 ? 0 : 1;
}

async function safely(layer: string, run: () => Promise<LayerResult>): Promise<LayerResult> {
  try {
    return await run();
  } catch (error) {
    return { layer, passed: 0, failed: 0, error: error instanceof Error ? error.message : String(error) };
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
