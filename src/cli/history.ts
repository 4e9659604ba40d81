import { BlobStream, git, GitError, gitReason, notRunnable, spawnGit, type GitPlace } from './gitBlobs';
import { MAX_FILE_BYTES, scanBytes, TOO_LARGE, type CliFinding, type KeyHasher, type ScannerOptions } from './scanner';

// main.ts loads this chunk by require and catches its GitError: the same class, not a second copy.
export { GitError };

/**
 * `scan --history`: every blob reachable from HEAD (or from every ref with --all), each scanned
 * once. `git log --raw` walks the commits oldest first and names, for each blob, the first commit
 * that brought it in and under which path; the blob ids go straight into one `git cat-file --batch`
 * whose output is scanned as it streams, so memory holds one blob and the set of blob ids seen.
 */

export interface HistoryOptions {
  /** Only commits after this revision (`REV..HEAD`). */
  readonly since?: string;
  /** Every ref (branches, tags, remotes, stash), not just HEAD. */
  readonly all: boolean;
  /** Stops the scan: both git processes are killed and scanHistory rejects with HistoryCancelled. */
  readonly signal?: AbortSignal;
  /** Where git starts (see GitPlace); the editor passes its own folder, never the repository. */
  readonly launchDir?: string;
}

/** The scan was stopped through HistoryOptions.signal. */
export class HistoryCancelled extends Error {}

/** Where a blob first appeared. */
export interface Introduction {
  readonly commit: string;
  /** The commit's author date, strict ISO 8601. */
  readonly authorDate: string;
  /** Path from the repository root (forward slashes). */
  readonly path: string;
}

export interface HistoryFinding extends Introduction {
  readonly finding: CliFinding;
  /** Whether the key is still in some file of HEAD's tree. */
  readonly atHead: boolean;
}

export interface HistoryScan {
  /** The repository's top folder: where paths are relative to. */
  readonly root: string;
  /** HEAD's commit id, if there is a commit. */
  readonly head: string | undefined;
  readonly findings: HistoryFinding[];
  /** Blobs too large to scan, under the commit that brought them in. */
  readonly skipped: (Introduction & { readonly reason: string })[];
  /** Blobs git could not give (a shallow or partial clone): the scan is incomplete. */
  readonly missing: Introduction[];
  readonly commits: number;
  readonly blobs: number;
  readonly bytes: number;
  readonly binaries: number;
}

/** A regular file's blob (not a symlink 120000 or a submodule 160000) that exists after the change. */
const FILE_MODE = /^100/;
const NULL_OID = /^0+$/;

/**
 * Reads `git log -z --raw --format=%x01%H %aI` as it streams: a header token per commit, then for
 * each changed file a `:srcmode dstmode srcoid dstoid status` token and a path token.
 */
export class RawLogParser {
  private rest: Buffer | undefined;
  private commit = '';
  private authorDate = '';
  private raw: { mode: string; oid: string } | undefined;
  commits = 0;

  constructor(private readonly onFile: (oid: string, where: Introduction) => void) {}

  push(chunk: Buffer): void {
    const data = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    let start = 0;
    for (let end = data.indexOf(0, start); end !== -1; end = data.indexOf(0, start)) {
      this.token(data.subarray(start, end));
      start = end + 1;
    }
    this.rest = start < data.length ? Buffer.from(data.subarray(start)) : undefined;
  }

  /** Whether the stream ended on a token boundary. */
  get complete(): boolean {
    return this.rest === undefined && this.raw === undefined;
  }

  private token(bytes: Buffer): void {
    if (this.raw) {
      const { mode, oid } = this.raw;
      this.raw = undefined;
      if (FILE_MODE.test(mode) && !NULL_OID.test(oid)) {
        this.onFile(oid, { commit: this.commit, authorDate: this.authorDate, path: bytes.toString('utf8') });
      }
      return;
    }
    // A newline separates a commit's header from its first change.
    const at = bytes[0] === 0x0a ? 1 : 0;
    if (bytes[at] === 0x01) {
      const [commit, date] = bytes.toString('latin1', at + 1).split(' ');
      if (commit !== this.commit) {
        this.commits++;
      }
      this.commit = commit;
      this.authorDate = date ?? '';
    } else if (bytes[at] === 0x3a /* : */) {
      const [, mode, , oid] = bytes.toString('latin1', at + 1).split(' ');
      this.raw = { mode, oid };
    } else if (bytes.length > at) {
      throw new GitError('unexpected output from git log');
    }
  }
}

/** Blob ids of HEAD's regular files; empty before the first commit. */
function headBlobs(root: GitPlace, head: string | undefined): Set<string> {
  const blobs = new Set<string>();
  if (head === undefined) {
    return blobs;
  }
  // `<mode> <type> <oid>\t<path>`, NUL-terminated.
  for (const entry of git(['ls-tree', '-r', '-z', '--full-tree', 'HEAD'], root).split('\0')) {
    const [mode, type, oid] = entry.slice(0, entry.indexOf('\t')).split(' ');
    if (type === 'blob' && FILE_MODE.test(mode)) {
      blobs.add(oid);
    }
  }
  return blobs;
}

function sinceCommit(since: string, root: GitPlace): string {
  try {
    return git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${since}^{commit}`], root).trim();
  } catch {
    throw new GitError(`--since: "${since}" is not a commit in this repository`);
  }
}

type Tag = Introduction | 'head';

/**
 * Runs `git log` and hands each file change to `onFile`, which returns false when cat-file's input
 * is backed up: git log is then paused until `drained` resolves. Resolves with the commit count.
 */
function walkLog(args: readonly string[], root: GitPlace, onFile: (oid: string, where: Introduction) => boolean, drained: () => Promise<void>, signal?: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(args, root);
    let backedUp = false;
    const parser = new RawLogParser((oid, where) => {
      if (!onFile(oid, where)) {
        backedUp = true;
      }
    });
    let stderr = '';
    let failed = false;
    const fail = (error: Error): void => {
      if (!failed) {
        failed = true;
        child.kill();
        reject(error);
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      if (failed) {
        return;
      }
      try {
        parser.push(chunk);
      } catch (error) {
        fail(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (backedUp) {
        backedUp = false;
        child.stdout.pause();
        void drained().then(() => child.stdout.resume());
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => fail(notRunnable(error)));
    const onAbort = (): void => fail(new HistoryCancelled('cancelled'));
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) {
      onAbort();
    }
    child.on('close', (status) => {
      signal?.removeEventListener('abort', onAbort);
      if (failed) {
        return;
      }
      if (status !== 0) {
        fail(new GitError(gitReason(stderr, `git log exited with status ${status}`)));
      } else if (!parser.complete) {
        fail(new GitError('git log output ended early'));
      } else {
        resolve(parser.commits);
      }
    });
  });
}

/**
 * Scans the history of the repository `cwd` is in. Findings come oldest first; a key is reported
 * once per path, at the commit that first brought it there (later edits of the file carry it along).
 */
export async function scanHistory(options: HistoryOptions, cwd: string, scannerOptions: ScannerOptions, hasher?: KeyHasher): Promise<HistoryScan> {
  const root = git(['rev-parse', '--show-toplevel'], { cwd, launchDir: options.launchDir }).replace(/\n$/, '');
  const place: GitPlace = { cwd: root, launchDir: options.launchDir };
  const since = options.since === undefined ? undefined : sinceCommit(options.since, place);
  const head = headCommit(place);
  const atHead = headBlobs(place, head);
  const refs = options.all ? ['--all'] : head !== undefined ? ['HEAD'] : [];
  const scan: ScannerOptions = { ...scannerOptions, keepKeys: true };

  const seen = new Set<string>();
  const findings: (Introduction & { finding: CliFinding })[] = [];
  const skipped: (Introduction & { reason: string })[] = [];
  const missing: Introduction[] = [];
  /** `path\0key` already reported. */
  const reported = new Set<string>();
  const keysAtHead = new Set<string>();
  let blobs = 0;
  let bytes = 0;
  let binaries = 0;

  const stream = new BlobStream<{ tag: Tag; oid: string }>(place, MAX_FILE_BYTES, ({ tag, oid }, blob) => {
    if (!('content' in blob)) {
      if (tag !== 'head') {
        if ('tooLarge' in blob) {
          skipped.push({ ...tag, reason: TOO_LARGE });
        } else {
          missing.push(tag);
        }
      }
      return;
    }
    const outcome = scanBytes(blob.content, blob.content.length, scan, hasher);
    if (tag !== 'head') {
      blobs++;
      bytes += outcome.bytes;
      if (outcome.binary) {
        binaries++;
      }
    }
    for (const finding of outcome.findings ?? []) {
      const key = finding.key as string;
      if (tag === 'head' || atHead.has(oid)) {
        keysAtHead.add(key);
      }
      if (tag !== 'head' && !reported.has(`${tag.path}\0${key}`)) {
        reported.add(`${tag.path}\0${key}`);
        findings.push({ ...tag, finding });
      }
    }
  });

  let commits = 0;
  try {
    if (refs.length > 0) {
      const args = ['log', '-z', '--raw', '--root', '--no-abbrev', '--no-renames', '--no-color', '--no-ext-diff', '--no-textconv'];
      // Oldest first, parents before children, so a blob's first sighting is the commit that brought it in.
      args.push('--topo-order', '--reverse', '--diff-merges=first-parent', '--format=%x01%H %aI', ...refs);
      if (since) {
        args.push(`^${since}`);
      }
      args.push('--');
      commits = await walkLog(
        args,
        place,
        (oid, where) => {
          if (seen.has(oid)) {
            return true;
          }
          seen.add(oid);
          return stream.request(oid, { tag: where, oid });
        },
        () => stream.drained(),
        options.signal,
      );
    }
    // With --since, HEAD's files older than REV were not read: read them only if a key needs the answer.
    await abortable(stream.idle(), options.signal);
    const unknown = findings.some(({ finding }) => !keysAtHead.has(finding.key as string));
    if (unknown) {
      for (const oid of atHead) {
        if (!seen.has(oid)) {
          stream.request(oid, { tag: 'head', oid });
        }
      }
    }
    await abortable(stream.end(), options.signal);
  } catch (error) {
    stream.kill();
    throw error;
  }
  return {
    root,
    head,
    findings: findings.map((f) => ({ ...f, atHead: keysAtHead.has(f.finding.key as string) })),
    skipped,
    missing,
    commits,
    blobs,
    bytes,
    binaries,
  };
}

/** Rejects with HistoryCancelled as soon as `signal` aborts (the caller then kills git). */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) {
    return work;
  }
  if (signal.aborted) {
    return Promise.reject(new HistoryCancelled('cancelled'));
  }
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new HistoryCancelled('cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => (signal.removeEventListener('abort', onAbort), resolve(value)),
      (error: unknown) => (signal.removeEventListener('abort', onAbort), reject(error instanceof Error ? error : new Error(String(error)))),
    );
  });
}

/** HEAD's commit id; undefined before the first commit. */
function headCommit(root: GitPlace): string | undefined {
  try {
    return git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], root).trim();
  } catch {
    return undefined;
  }
}
