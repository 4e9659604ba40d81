import { benchActivation } from './activationBench';
import { benchHistory } from './historyBench';
import { benchPlainRegression } from './plainRegression';
import { benchTimeToFirstToken } from './promptBench';
import { benchRender } from './renderBench';
import { benchStreamMask } from './streamMaskBench';
import { benchUsage } from './usageBench';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { buildCorpus, scoreCorpus } from '../fakes/corpus';
import { stopChildren } from './children';
import { benchDetector, corpusThroughCli, formatScore } from './detectorBench';
import { CLI, MB } from './scanBenchBasics';
import { benchScanPeers } from './scanPeers';
import { ensureTree, TREE_DIR } from './tree';

/**
 * `npm run bench`: the scan CLI against the floor (walk + read + indexOf in bare Node) and
 * secretlint's Anthropic rule on a ~100 MB tree, the detector on a 10 MB document, and the
 * detector's accuracy on the labelled corpus. Goals are reported as PASS/MISS lines, not asserted.
 */

async function main(): Promise<void> {
  const benchStarted = Date.now();
  if (!fs.existsSync(CLI)) {
    throw new Error(`${CLI} is missing: run "npm run build:production" first (npm run bench does)`);
  }
  console.log(`claude-keys bench: Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${os.platform()}`);
  // `npm run bench -- --activation-only`: only the start-up section (about a minute instead of many).
  // `npm run bench -- --usage-only`: only the usage ledger (append, aggregate a million records).
  if (process.argv.includes('--usage-only')) {
    for (const line of await benchUsage()) {
      console.log(line);
    }
    console.log(`\nbench finished in ${((Date.now() - benchStarted) / 1000).toFixed(1)} s`);
    return;
  }
  if (process.argv.includes('--activation-only')) {
    await printActivation();
    console.log(`\nbench finished in ${((Date.now() - benchStarted) / 1000).toFixed(1)} s`);
    return;
  }

  // `npm run bench -- --plain-only`: only the plain scan against the scanner before encoded keys.
  if (process.argv.includes('--plain-only')) {
    ensureTree();
    for (const line of await benchPlainRegression()) {
      console.log(line);
    }
    console.log(`\nbench finished in ${((Date.now() - benchStarted) / 1000).toFixed(1)} s`);
    return;
  }

  // `npm run bench -- --history-only`: only the git history scan against its floor.
  if (process.argv.includes('--history-only')) {
    await printHistory();
    console.log(`\nbench finished in ${((Date.now() - benchStarted) / 1000).toFixed(1)} s`);
    return;
  }

  // `npm run bench -- --detection-only`: the plain-scan figures (CLI on the tree, detector in memory, corpus) and nothing else.
  const detectionOnly = process.argv.includes('--detection-only');
  const tree = ensureTree();
  const { manifest } = tree;
  console.log(
    `tree: ${TREE_DIR}: ${manifest.files.length} files, ${(manifest.totalBytes / MB).toFixed(1)} MB (MB = 2^20 bytes), ` +
      `${manifest.expected.length} generated credentials (${manifest.expected.filter((e) => e.kind === 'apiKey').length} API keys), ` +
      `${manifest.placeholders.length} placeholders; ${tree.cached ? 'cached' : `generated in ${tree.seconds.toFixed(1)} s`}`,
  );

  await benchScanPeers(manifest);
  console.log('');
  for (const line of await benchPlainRegression()) {
    console.log(line);
  }

  if (!detectionOnly) {
    await printHistory();
  }

  console.log('');
  for (const line of await benchUsage()) {
    console.log(line);
  }
  for (const line of benchStreamMask()) {
    console.log(line);
  }

  console.log('');
  for (const line of benchDetector()) {
    console.log(line);
  }

  const cases = buildCorpus();
  console.log(`\naccuracy on the labelled corpus (${cases.length} cases, ${cases.reduce((n, c) => n + c.expected.length, 0)} expected credentials):`);
  console.log(`  detector:              ${formatScore(scoreCorpus(cases))}`);
  console.log(`  CLI (files on disk):   ${formatScore(await corpusThroughCli(cases))}`);

  if (detectionOnly) {
    console.log(`\nbench finished in ${((Date.now() - benchStarted) / 1000).toFixed(1)} s`);
    return;
  }
  console.log('');
  for (const line of await benchTimeToFirstToken()) {
    console.log(line);
  }
  console.log('');
  for (const line of await benchRender()) {
    console.log(line);
  }
  await printActivation();

  console.log(`\nbench finished in ${((Date.now() - benchStarted) / 1000).toFixed(1)} s`);
}

async function printHistory(): Promise<void> {
  console.log('');
  for (const line of await benchHistory()) {
    console.log(line);
  }
}

async function printActivation(): Promise<void> {
  console.log('');
  for (const line of await benchActivation()) {
    console.log(line);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    stopChildren();
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
