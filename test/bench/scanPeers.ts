import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareCli, compareSecretlint } from './peerFindings';
import { EXTRA_CA, measureAll, printTable, runtimes, RUNS, WARMUPS, type Measured, type Runtime, type Tool } from './peerRuns';
import { CLI, GOALS, MB, median, ms, ROOT, verdict } from './scanBenchBasics';
import { TREE_DIR, type Manifest } from './tree';

/** The scan CLI against its peers on the tree: the floor (walk + read + indexOf in bare Node) and secretlint's Anthropic rule. */

const FLOOR = path.join(__dirname, 'floor.js');
const SECRETLINT = path.join(ROOT, 'node_modules', 'secretlint', 'bin', 'secretlint.js');

/** Times every tool under one runtime and prints its table, ratios and findings; returns the goal's verdict line. */
async function compareTools(runtime: Runtime, tools: readonly Tool[], manifest: Manifest): Promise<string> {
  const measured = await measureAll(runtime.node, tools);
  console.log(`\n== Node ${runtime.version}, ${runtime.label}`);
  console.log(`wall time of each child process, median of ${RUNS} after ${WARMUPS} warm-up:`);
  printTable(measured, manifest);

  const byName = (prefix: string): Measured | undefined => measured.find((m) => m.tool.name.startsWith(prefix) && m.times.length > 0);
  const startup = byName('node -e 0 (');
  const floor = byName('floor (');
  const readOnly = byName('floor, read only');
  const cli1 = byName('claude-keys scan --jobs 1');
  const cli2 = byName('claude-keys scan --jobs 2');
  const secretlint = byName('secretlint');

  let verdictLine = `Node ${runtime.version}: no result`;
  console.log('\nratios:');
  if (cli1 && secretlint) {
    const ratio = median(secretlint.times) / median(cli1.times);
    const line = `${ratio.toFixed(1)}×   goal ≥ ${GOALS.secretlintOverCli}×   ${verdict(ratio >= GOALS.secretlintOverCli)}`;
    console.log(`  secretlint / claude-keys:       ${line}`);
    verdictLine = `Node ${runtime.version}: ${line}`;
  }
  if (cli1 && floor) {
    const ratio = median(cli1.times) / median(floor.times);
    console.log(`  claude-keys / floor:            ${ratio.toFixed(2)}×  goal ≤ ${GOALS.cliOverFloor}×   ${verdict(ratio <= GOALS.cliOverFloor)}`);
  }
  if (cli1 && readOnly) {
    console.log(`  claude-keys / read-only floor:  ${(median(cli1.times) / median(readOnly.times)).toFixed(2)}×  (no goal: reading alone, no search at all)`);
  }
  if (secretlint && floor && readOnly) {
    // The ceiling for the 12× goal: a scanner can be no faster than reading the files. The issue's
    // own figures (secretlint ~4.5 s, floor ~0.33 s) put secretlint / floor at ~13.6×.
    const overFloor = median(secretlint.times) / median(floor.times);
    const overReadOnly = median(secretlint.times) / median(readOnly.times);
    console.log(`  secretlint / floor:             ${overFloor.toFixed(1)}×  (the issue's figures: ~13.6×)`);
    console.log(`  secretlint / read-only floor:   ${overReadOnly.toFixed(1)}×  (the most any one-thread Node scanner can reach here)`);
  }
  if (cli1 && cli2) {
    const ratio = median(cli1.times) / median(cli2.times);
    console.log(`  --jobs 2 speed-up over --jobs 1: ${ratio.toFixed(2)}×  (${ratio > 1.05 ? 'helps' : ratio < 0.95 ? 'slower' : 'no real difference'})`);
  }
  if (startup && floor && cli1) {
    const base = median(startup.times);
    const work = (m: Measured): number => median(m.times) - base;
    console.log(
      `  minus Node start-up (${ms(base)}): floor ${ms(work(floor))}` +
        (readOnly ? `, read-only floor ${ms(work(readOnly))}` : '') +
        `, claude-keys ${ms(work(cli1))}` +
        (cli2 ? `, --jobs 2 ${ms(work(cli2))}` : '') +
        (secretlint ? `, secretlint ${ms(work(secretlint))}` : ''),
    );
    const adjusted = [`claude-keys / floor ${(work(cli1) / work(floor)).toFixed(2)}×`];
    if (secretlint) {
      adjusted.unshift(`secretlint / claude-keys ${(work(secretlint) / work(cli1)).toFixed(1)}×`);
    }
    console.log(`  the same ratios without start-up (for information, not the goals): ${adjusted.join(', ')}`);
  }

  console.log('\nfindings:');
  if (floor?.last) {
    const counts = JSON.parse(floor.last.stdout) as { files: number; bytes: number; hits: number };
    console.log(`  floor: ${counts.files} files, ${(counts.bytes / MB).toFixed(1)} MB read, ${counts.hits} files contain the prefix`);
  }
  const one = compareCli(cli1, manifest);
  if (one) {
    const ok = one.found === manifest.expected.length && one.unexpected.length === 0;
    console.log(
      `  claude-keys: ${one.found}/${manifest.expected.length} generated credentials, ${one.unexpected.length} unexpected, ` +
        `${one.onPlaceholders} on placeholder lines   ${verdict(ok)}`,
    );
    for (const line of [...one.missing.map((m) => `missing ${m}`), ...one.unexpected.map((u) => `unexpected ${u}`)].slice(0, 10)) {
      console.log(`    ${line}`);
    }
    const two = compareCli(cli2, manifest);
    if (two) {
      console.log(`  claude-keys --jobs 2: output ${two.stdout === one.stdout ? 'identical to' : 'DIFFERS from'} --jobs 1`);
    }
  }
  for (const line of compareSecretlint(secretlint, manifest, compareCli(cli1, manifest))) {
    console.log(`  ${line}`);
  }
  return verdictLine;
}

/** Times the CLI and its peers under every runtime, prints each one's figures and the goal's verdicts. */
export async function benchScanPeers(manifest: Manifest): Promise<void> {
  const config = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'claude-keys-bench-secretlint-')), '.secretlintrc.json');
  fs.writeFileSync(config, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-anthropic' }] }));
  const tools: Tool[] = [
    { name: 'node -e 0 (Node start-up)', args: ['-e', '0'], okCodes: [0], timeoutMs: 10_000, readsTree: false },
    ...(process.env[EXTRA_CA]
      ? [{ name: `node -e 0, no ${EXTRA_CA}`, args: ['-e', '0'], okCodes: [0], timeoutMs: 10_000, readsTree: false, withoutExtraCa: true }]
      : []),
    { name: 'floor (walk + read + indexOf)', args: [FLOOR, TREE_DIR], okCodes: [0], timeoutMs: 60_000, readsTree: true },
    { name: 'floor, read only (no search)', args: [FLOOR, TREE_DIR, '--read-only'], okCodes: [0], timeoutMs: 60_000, readsTree: true },
    { name: 'claude-keys scan --jobs 1', args: [CLI, 'scan', '--format', 'json', '--jobs', '1', TREE_DIR], okCodes: [0, 1], timeoutMs: 60_000, readsTree: true },
    { name: 'claude-keys scan --jobs 2', args: [CLI, 'scan', '--format', 'json', '--jobs', '2', TREE_DIR], okCodes: [0, 1], timeoutMs: 60_000, readsTree: true },
    {
      name: 'secretlint (anthropic rule only)',
      // unix format: its json format embeds every file's full content (and the keys) in the output.
      args: [SECRETLINT, `${TREE_DIR}/**/*`, '--secretlintrc', config, '--format', 'unix', '--no-color'],
      okCodes: [0, 1],
      timeoutMs: 120_000,
      readsTree: true,
    },
  ];
  const verdicts: string[] = [];
  try {
    for (const runtime of runtimes()) {
      verdicts.push(await compareTools(runtime, tools, manifest));
    }
  } finally {
    fs.rmSync(path.dirname(config), { recursive: true, force: true });
  }
  console.log(`\nsecretlint / claude-keys, goal ≥ ${GOALS.secretlintOverCli}×, per runtime:`);
  for (const line of verdicts) {
    console.log(`  ${line}`);
  }
  if (process.env[EXTRA_CA]) {
    console.log(
      `  (${EXTRA_CA} is set here: Node ≤ 22 loads that CA bundle before any script runs, Node 24 only when TLS needs it;` +
        ' neither scanner makes a TLS connection, so on Node 20 it is a fixed start-up cost for both.)',
    );
  }
}
