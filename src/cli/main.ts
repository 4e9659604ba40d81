import { parseArgs, USAGE, type ScanOptions } from './args';
import { loadKeyHasher } from './fingerprint';
import { escapeName, formatJson, formatSarif, formatText, type Row } from './report';
import type * as History from './history';
import type * as Parallel from './parallel';
import type * as Staged from './staged';
import { FileScanner, isReported, type FileOutcome, type ScannerOptions } from './scanner';
import { collectTargets, displayPath, type PathProblem } from './walk';
import { checkApiBaseUrl } from '../core/apiBaseUrl';
import { OrganisationKeyIndex } from '../core/keyIdentity';
import { outputPending, STDERR, STDOUT, writeAll } from './output';
import { CLI_VERSION } from './version';
import type * as Verify from './verify';
import { WORKER_FLAG } from './workerFlag';

/**
 * `claude-keys scan [--format text|json|sarif] [--jobs N] [--staged] [PATH…]`: the editor's detector for
 * pre-commit hooks and CI. Exit 0 clean, 1 credentials found, 2 usage or read error. Keys are never
 * printed; only their masked form is.
 */

const EXIT_CLEAN = 0;
const EXIT_FOUND = 1;
const EXIT_ERROR = 2;
/** Where --verify sends keys (default https://api.anthropic.com); ANTHROPIC_BASE_URL is deliberately not read: a gateway there would receive other people's keys. */
const BASE_URL_VARIABLE = 'CLAUDE_KEYS_API_BASE_URL';
/** --identify: the Admin key that lists the organisation's keys. */
const ADMIN_KEY_VARIABLE = 'ANTHROPIC_ADMIN_KEY';

/** Control characters that still reach a message (a git error quoting a name) are shown as escapes. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function say(line: string): void {
  writeAll(STDERR, `claude-keys: ${line.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}\n`);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What a scan gave, before it is reported. */
interface Scanned {
  /** Outcomes that carry something (findings, read errors, skips), in walk or index order. */
  readonly outcomes: readonly { readonly shown: string; readonly outcome: FileOutcome }[];
  readonly files: number;
  readonly bytes: number;
  readonly binaries: number;
  readonly errors: readonly PathProblem[];
  readonly notes: readonly PathProblem[];
  /** What the summary calls a scanned file. */
  readonly noun: string;
}

async function scanFiles(options: ScanOptions, scannerOptions: ScannerOptions, cwd: string): Promise<Scanned> {
  // Loaded only when used: node:worker_threads and node:crypto add start-up time. Workers boot while the main thread walks.
  const pool = options.jobs > 1 ? new (loadParallel().WorkerPool)(options.jobs - 1, scannerOptions, __filename) : undefined;
  const hasher = scannerOptions.fingerprints ? await loadKeyHasher() : undefined;
  const { targets, errors, notes } = collectTargets(options.paths, cwd, { followSymlinks: options.followSymlinks });
  const files = targets.map((t) => t.file);

  const outcomes = new Map<number, FileOutcome>();
  let binaries = 0;
  const record = (index: number, outcome: FileOutcome): void => {
    if (outcome.binary) {
      binaries++;
    } else if (isReported(outcome)) {
      outcomes.set(index, outcome);
    }
  };
  const scanner = new FileScanner(scannerOptions, hasher);
  let totals = { files: 0, bytes: 0 };
  if (pool && files.length > 1) {
    totals = await pool.scan(files, scanner, record);
  } else {
    pool?.close();
    const each = (i: number, outcome: FileOutcome): void => {
      totals.files++;
      totals.bytes += outcome.bytes;
      record(i, outcome);
    };
    // The loop is here, not in a FileScanner method: there V8 compiled it while it ran (OSR) before
    // it had seen the flush() after it, and threw that code away again; Node 24 then scanned the
    // bench's 100 MB tree ~5 % slower (200 interleaved runs).
    for (let i = 0; i < files.length; i++) {
      scanner.add(i, files[i], each);
    }
    scanner.flush(each);
  }
  // Walk order; paths are worked out only for the files that are reported.
  const ordered = [...outcomes.keys()].sort((a, b) => a - b).map((index) => ({ shown: displayPath(targets[index], cwd), outcome: outcomes.get(index) as FileOutcome }));
  return { outcomes: ordered, ...totals, binaries, errors, notes, noun: 'file' };
}

/**
 * `--staged`: the index's blobs, on one thread (git reads them). Undefined when git failed: nothing
 * was scanned, so there is no report, as after a usage error.
 */
async function scanIndex(options: ScanOptions, scannerOptions: ScannerOptions, cwd: string): Promise<Scanned | undefined> {
  // Loaded only when used, like parallel.js: node:child_process adds start-up time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- dist/cliStaged.js, loaded only for --staged
  const { GitError, scanStaged } = require('./staged') as typeof Staged;
  const hasher = scannerOptions.fingerprints ? await loadKeyHasher() : undefined;
  let staged: Staged.StagedOutcome[];
  try {
    staged = await scanStaged(options.paths, cwd, scannerOptions, hasher);
  } catch (error) {
    if (error instanceof GitError) {
      say(`--staged: ${error.message}`);
      return undefined;
    }
    throw error;
  }
  return {
    outcomes: staged.filter(({ outcome }) => isReported(outcome)),
    files: staged.length,
    bytes: staged.reduce((sum, { outcome }) => sum + outcome.bytes, 0),
    binaries: staged.filter(({ outcome }) => outcome.binary).length,
    errors: [],
    notes: [],
    noun: 'staged file',
  };
}

/** What is printed: rows, problems, and the summary's parts. */
interface Report {
  readonly rows: Row[];
  readonly readErrors: PathProblem[];
  readonly skipped: PathProblem[];
  /** What the summary says was scanned, e.g. "3 files scanned (0.1 MB)". */
  readonly details: string[];
  /** What the summary counts findings in (files, commits). */
  readonly places: string;
  /** SARIF's %SRCROOT%. */
  readonly root: string;
  /** --history: HEAD's commit id, for SARIF's versionControlProvenance. */
  readonly head?: string;
}

function fileReport(scanned: Scanned, cwd: string): Report {
  // Walk or index order, then position in the file.
  const rows: Row[] = [];
  const readErrors: PathProblem[] = [...scanned.errors];
  const skipped: PathProblem[] = [...scanned.notes];
  let unread = 0;
  for (const { shown, outcome } of scanned.outcomes) {
    if (outcome.error) {
      readErrors.push({ path: shown, reason: outcome.error });
      unread++;
    } else if (outcome.skipped) {
      skipped.push({ path: shown, reason: outcome.skipped });
      unread++;
    }
    for (const finding of outcome.findings ?? []) {
      rows.push({ path: shown, finding });
    }
  }
  const scannedFiles = scanned.files - unread - scanned.binaries;
  const details = [`${plural(scannedFiles, scanned.noun)} scanned (${megabytes(scanned.bytes)})`];
  if (scanned.binaries > 0) {
    details.push(`${plural(scanned.binaries, 'binary file')} skipped`);
  }
  if (readErrors.length > 0) {
    details.push(`${plural(readErrors.length, 'path')} unreadable`);
  }
  return { rows, readErrors, skipped, details, places: plural(new Set(rows.map((r) => r.path)).size, 'file'), root: cwd };
}

/** `--history`: undefined when git failed (exit 2, no report). */
async function historyReport(options: ScanOptions, scannerOptions: ScannerOptions, cwd: string): Promise<Report | undefined> {
  // Loaded only when used, like staged.js; GitError from the same chunk, or instanceof would fail.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- dist/cliHistory.js, loaded only for --history
  const { scanHistory, GitError } = require('./history') as typeof History;
  const hasher = scannerOptions.fingerprints ? await loadKeyHasher() : undefined;
  let scanned;
  try {
    scanned = await scanHistory({ since: options.since, all: options.all }, cwd, scannerOptions, hasher);
  } catch (error) {
    if (error instanceof GitError) {
      say(`--history: ${error.message}`);
      return undefined;
    }
    throw error;
  }
  const rows: Row[] = scanned.findings.map((f) => ({ path: f.path, finding: f.finding, commit: { oid: f.commit, authorDate: f.authorDate, atHead: f.atHead } }));
  const at = (commit: string, p: string): string => `${commit.slice(0, 12)}:${p}`;
  const readErrors = scanned.missing.map((m) => ({ path: at(m.commit, m.path), reason: 'blob missing from the repository (shallow or partial clone?)' }));
  const details = [`${plural(scanned.blobs - scanned.binaries, 'blob')} scanned (${megabytes(scanned.bytes)}) from ${plural(scanned.commits, 'commit')}`];
  if (scanned.binaries > 0) {
    details.push(`${plural(scanned.binaries, 'binary blob')} skipped`);
  }
  if (readErrors.length > 0) {
    details.push(`${plural(readErrors.length, 'blob')} missing`);
  }
  return {
    rows,
    readErrors,
    skipped: scanned.skipped.map((s) => ({ path: at(s.commit, s.path), reason: s.reason })),
    details,
    places: plural(new Set(rows.map((r) => r.commit?.oid)).size, 'commit'),
    root: scanned.root,
    head: scanned.head,
  };
}

/** Where --verify sends keys; undefined (after saying why) when the variable holds no usable URL. */
function verifyBaseUrl(flag = '--verify'): string | undefined {
  const raw = process.env[BASE_URL_VARIABLE];
  const checked = checkApiBaseUrl(raw);
  if (!checked.ok || checked.insecure) {
    const why = !checked.ok ? (checked.reason === 'hasCredentials' ? 'it holds credentials' : 'it is not an http(s) URL') : 'plain http is allowed only to this machine';
    say(`${flag}: ${BASE_URL_VARIABLE} is not usable (${why}); no key was sent`);
    return undefined;
  }
  return checked.url;
}

/** `--verify`: each row gets the verdict on its key. */
async function verifyRows(rows: readonly Row[], baseURL: string): Promise<Row[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- dist/cliVerify.js (the SDK), loaded only for --verify
  const { verifyKeys } = require('./verify') as typeof Verify;
  const verdicts = await verifyKeys(
    rows.map((r) => ({ key: r.finding.key as string, kind: r.finding.kind })),
    baseURL,
  );
  return rows.map((r) => ({ ...r, verification: verdicts.get(r.finding.key as string) }));
}

/** `--identify`: each API key row gets the organisation's key it is, or null. Undefined (after saying why) when the listing failed. */
async function identifyRows(rows: readonly Row[], adminKey: string, baseURL: string): Promise<Row[] | undefined> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- dist/cliVerify.js (the SDK), loaded only when asked
  const { listOrganisationKeys } = require('./verify') as typeof Verify;
  let keys;
  try {
    keys = await listOrganisationKeys(adminKey, baseURL);
  } catch (error) {
    say(`--identify: could not list the organisation's keys: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const index = new OrganisationKeyIndex(keys);
  return rows.map((r) => (r.finding.kind === 'apiKey' ? { ...r, identity: index.identify(r.finding.key as string) ?? null } : r));
}

async function scan(options: ScanOptions): Promise<number> {
  const started = Date.now();
  const cwd = process.cwd();
  const baseURL = options.verify ? verifyBaseUrl() : undefined;
  if (options.verify && baseURL === undefined) {
    return EXIT_ERROR;
  }
  const adminKey = options.identify ? process.env[ADMIN_KEY_VARIABLE] : undefined;
  if (options.identify && !adminKey) {
    say(`--identify: set ${ADMIN_KEY_VARIABLE} to an Admin API key of the organisation`);
    return EXIT_ERROR;
  }
  const identifyURL = options.identify ? verifyBaseUrl('--identify') : undefined;
  if (options.identify && identifyURL === undefined) {
    return EXIT_ERROR;
  }
  const scannerOptions: ScannerOptions = {
    honourIgnoreMarkers: options.honourIgnoreMarkers,
    fingerprints: options.format === 'sarif',
    keepKeys: options.verify || options.identify,
  };
  let report: Report | undefined;
  if (options.history) {
    report = await historyReport(options, scannerOptions, cwd);
  } else {
    const scanned = options.staged ? await scanIndex(options, scannerOptions, cwd) : await scanFiles(options, scannerOptions, cwd);
    report = scanned && fileReport(scanned, cwd);
  }
  if (!report) {
    return EXIT_ERROR;
  }
  const { readErrors, skipped } = report;
  const verified = baseURL === undefined ? report.rows : await verifyRows(report.rows, baseURL);
  const checked = adminKey && identifyURL ? await identifyRows(verified, adminKey, identifyURL) : verified;
  if (checked === undefined) {
    return EXIT_ERROR;
  }
  const rows = options.onlyLive ? checked.filter((r) => r.verification?.state === 'live') : checked;

  if (options.format === 'json') {
    writeAll(STDOUT, formatJson(rows));
  } else if (options.format === 'sarif') {
    writeAll(STDOUT, formatSarif(rows, readErrors, report.root, report.head));
  } else {
    writeAll(STDOUT, formatText(rows));
  }
  for (const note of skipped) {
    say(`skipped ${escapeName(note.path)}: ${note.reason}`);
  }
  for (const error of readErrors) {
    say(`cannot read ${escapeName(error.path)}: ${error.reason}`);
  }
  if (options.format === 'text') {
    const head = rows.length > 0 ? `found ${plural(rows.length, 'credential')} in ${report.places}` : `no ${options.onlyLive ? 'live ' : ''}Claude credentials found`;
    const verified = options.verify ? `; ${verdictCounts(checked, checked.length - rows.length)}` : '';
    say(`${head}${verified}; ${report.details.join(', ')} in ${((Date.now() - started) / 1000).toFixed(2)} s`);
  }
  if (readErrors.length > 0) {
    return EXIT_ERROR;
  }
  return rows.length > 0 ? EXIT_FOUND : EXIT_CLEAN;
}

/** "2 live, 1 revoked, 0 unknown" over the distinct keys checked (and how many findings --only-live hid). */
function verdictCounts(rows: readonly Row[], hidden: number): string {
  const states = new Map<string, string>();
  for (const r of rows) {
    states.set(r.finding.key as string, r.verification?.state ?? 'unknown');
  }
  const count = (state: string): number => [...states.values()].filter((s) => s === state).length;
  return `keys checked: ${count('live')} live, ${count('revoked')} revoked, ${count('unknown')} unknown${hidden > 0 ? ` (${plural(hidden, 'finding')} of keys not live hidden)` : ''}`;
}

async function main(argv: readonly string[]): Promise<number> {
  const command = parseArgs(argv);
  switch (command.kind) {
    case 'help':
      writeAll(STDOUT, USAGE);
      return EXIT_CLEAN;
    case 'version':
      writeAll(STDOUT, `${CLI_VERSION}\n`);
      return EXIT_CLEAN;
    case 'usageError':
      say(command.message);
      writeAll(STDERR, 'Run "claude-keys --help" for usage.\n');
      return EXIT_ERROR;
    case 'scan':
      return scan(command.options);
  }
}

/** dist/cliParallel.js: --jobs above 1, and each worker thread. */
function loadParallel(): typeof Parallel {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a chunk of its own: a one-thread scan never compiles it
  return require('./parallel') as typeof Parallel;
}

async function entry(): Promise<number | undefined> {
  if (process.argv.includes(WORKER_FLAG)) {
    const parallel = loadParallel();
    if (parallel.isScanWorker()) {
      await parallel.runWorker();
      return undefined;
    }
  }
  return main(process.argv.slice(2));
}

entry().then(
  (code) => {
    if (code === undefined) {
      return;
    }
    // Everything is written: exit now rather than wait for the loop to wind down. Output handed to a
    // stream (EAGAIN) must drain first, so then only the exit code is set.
    if (outputPending()) {
      process.exitCode = code;
    } else {
      process.exit(code);
    }
  },
  (error: unknown) => {
    say(`internal error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT_ERROR;
  },
);
