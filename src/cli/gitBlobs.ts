import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { SAFE_GIT_OPTIONS, safeGitEnv } from '../core/safeGit';
import { describeError } from './scanner';

/**
 * git for the CLI (--staged, --history): every call runs with SAFE_GIT_OPTIONS, so a hostile
 * repository's .git/config cannot make git run a program, and blobs stream out of one
 * `git cat-file --batch` process however many there are.
 */

/** git is missing or failed: the scan cannot run at all (exit 2). */
export class GitError extends Error {}

/**
 * diff.relative=true would make diff's paths relative to the current directory and drop the
 * others; PATHs are file names, not globs or :(magic).
 */
const GIT_GLOBAL = [...SAFE_GIT_OPTIONS, '-c', 'diff.relative=false', '--literal-pathspecs'];

/** git's own reason: the fatal/error line of its stderr, without the prefix. */
export function gitReason(stderr: string, fallback: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  const line = lines.find((l) => /^(fatal|error): /.test(l)) ?? lines[0];
  return line ? line.replace(/^(fatal|error): /, '') : fallback;
}

export function notRunnable(error: Error): GitError {
  const code = (error as NodeJS.ErrnoException).code;
  return new GitError(code === 'ENOENT' ? 'git is not installed or not on PATH' : `cannot run git: ${describeError(error)}`);
}

/**
 * Where git runs: `cwd` is the repository folder. With `launchDir` (the editor), git starts there and
 * is pointed at `cwd` with -C: on Windows a git.exe planted in the repository would otherwise run.
 */
export interface GitPlace {
  readonly cwd: string;
  readonly launchDir?: string;
}

function spawnPlace(args: readonly string[], where: string | GitPlace): { args: string[]; cwd: string } {
  const place = typeof where === 'string' ? { cwd: where } : where;
  return place.launchDir === undefined ? { args: [...GIT_GLOBAL, ...args], cwd: place.cwd } : { args: [...GIT_GLOBAL, '-C', place.cwd, ...args], cwd: place.launchDir };
}

/** Runs git to completion and returns its stdout; a failure is a GitError with git's reason. */
export function git(args: readonly string[], where: string | GitPlace): string {
  const run = spawnPlace(args, where);
  const result = spawnSync('git', run.args, { cwd: run.cwd, env: safeGitEnv(process.env), maxBuffer: Infinity, windowsHide: true });
  if (result.error) {
    throw notRunnable(result.error);
  }
  if (result.status !== 0) {
    throw new GitError(gitReason(result.stderr.toString('utf8'), `git ${args[0]} exited with status ${result.status}`));
  }
  return result.stdout.toString('utf8');
}

/** Starts a long-running git (its output is read as a stream); the caller listens for 'close'. */
export function spawnGit(args: readonly string[], where: string | GitPlace): ChildProcessWithoutNullStreams {
  const run = spawnPlace(args, where);
  return spawn('git', run.args, { cwd: run.cwd, env: safeGitEnv(process.env), windowsHide: true });
}

/** A blob's content, or why there is none. */
export type Blob = { readonly content: Buffer } | { readonly tooLarge: number } | { readonly missing: true };

/**
 * One `git cat-file --batch` fed blob ids as they become known: each blob is handed to `onBlob` with
 * the tag it was requested with, in request order, and dropped after. Blobs over `limit` bytes are
 * passed over without being kept. Framing: `<oid> <type> <size>\n`, the content, `\n`; or
 * `<oid> missing\n`. `request` returns false when git's input is backed up (wait for `drained`).
 */
export class BlobStream<T> {
  private readonly child: ChildProcessWithoutNullStreams;
  /** Tags of the blobs requested and not yet delivered, from `head` on. */
  private tags: T[] = [];
  private head = 0;
  private requested = 0;
  private delivered = 0;
  private header: Buffer[] = [];
  /** The blob being read: bytes still due (content and its trailing \n), and its parts unless too large. */
  private body: { size: number; due: number; parts: Buffer[] | undefined } | undefined;
  private stderr = '';
  private failure: Error | undefined;
  private ended = false;
  private readonly done: Promise<void>;
  private settle: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private idleWaiter: (() => void) | undefined;

  constructor(
    cwd: string | GitPlace,
    private readonly limit: number,
    private readonly onBlob: (tag: T, blob: Blob) => void,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Callers may never await done (a git that failed first): keep the rejection from being unhandled.
    this.done.catch(() => undefined);
    this.child = spawnGit(['cat-file', '--batch'], cwd);
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    // A git that died early closes the pipe; its exit status tells why.
    this.child.stdin.on('error', () => undefined);
    this.child.on('error', (error) => this.fail(notRunnable(error)));
    this.child.on('close', (status) => this.onClose(status));
  }

  /** Asks for one blob; false when the pipe to git is full (see `drained`). */
  request(oid: string, tag: T): boolean {
    this.tags.push(tag);
    this.requested++;
    return this.child.stdin.write(`${oid}\n`);
  }

  /** Resolves when git has taken the requests written so far. */
  drained(): Promise<void> {
    return new Promise((resolve) => this.child.stdin.once('drain', resolve));
  }

  /** Blobs requested and not yet delivered. */
  get pending(): number {
    return this.requested - this.delivered;
  }

  /** Resolves once every blob requested so far is delivered (git stays open for more). */
  idle(): Promise<void> {
    if (this.pending === 0 || this.failure) {
      return this.failure ? Promise.reject(this.failure) : Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.idleWaiter = resolve;
      this.done.catch(reject);
    });
  }

  /** No more requests: resolves when git has delivered them all and exited cleanly. */
  end(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      this.child.stdin.end();
    }
    return this.done;
  }

  /** Stops git (after an error elsewhere). */
  kill(): void {
    this.ended = true;
    this.child.kill();
  }

  private fail(error: Error): void {
    if (!this.failure) {
      this.failure = error;
      this.child.kill();
      this.settle?.reject(error);
    }
  }

  private deliver(blob: Blob): void {
    const tag = this.tags[this.head];
    this.head++;
    this.delivered++;
    // Drop delivered tags now and then, not per blob (Array.shift is linear).
    if (this.head > 4096 && this.head * 2 > this.tags.length) {
      this.tags = this.tags.slice(this.head);
      this.head = 0;
    }
    try {
      this.onBlob(tag, blob);
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.pending === 0 && this.idleWaiter) {
      const waiter = this.idleWaiter;
      this.idleWaiter = undefined;
      waiter();
    }
  }

  private onData(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && !this.failure) {
      if (this.body === undefined) {
        const end = chunk.indexOf(0x0a, at);
        if (end === -1) {
          this.header.push(chunk.subarray(at));
          return;
        }
        this.header.push(chunk.subarray(at, end));
        const line = Buffer.concat(this.header).toString('latin1');
        this.header = [];
        at = end + 1;
        const [, type, size] = line.split(' ');
        if (type === 'missing') {
          this.deliver({ missing: true });
        } else if (size === undefined || !/^\d+$/.test(size) || this.pending === 0) {
          // Not quoted: out of step, the line could be file content.
          this.fail(new GitError('unexpected output from git cat-file'));
        } else {
          const bytes = Number(size);
          this.body = { size: bytes, due: bytes + 1, parts: bytes <= this.limit ? [] : undefined };
        }
        continue;
      }
      const body = this.body;
      const take = Math.min(body.due, chunk.length - at);
      body.parts?.push(chunk.subarray(at, at + take));
      body.due -= take;
      at += take;
      if (body.due === 0) {
        this.body = undefined;
        const { size, parts } = body;
        this.deliver(parts ? { content: (parts.length === 1 ? parts[0] : Buffer.concat(parts)).subarray(0, size) } : { tooLarge: size });
      }
    }
  }

  private onClose(status: number | null): void {
    if (this.failure) {
      return;
    }
    if (status !== 0) {
      this.fail(new GitError(gitReason(this.stderr, `git cat-file exited with status ${status}`)));
    } else if (this.pending !== 0 || this.body !== undefined) {
      this.fail(new GitError(`git cat-file returned ${this.delivered} of ${this.requested} blobs`));
    } else {
      this.settle?.resolve();
    }
  }
}

/** Streams the blobs `oids` out of one `git cat-file --batch` and hands each to `onBlob` in order. */
export async function readBlobs(oids: readonly string[], cwd: string, limit: number, onBlob: (index: number, blob: Blob) => void): Promise<void> {
  if (oids.length === 0) {
    return;
  }
  const stream = new BlobStream<number>(cwd, limit, onBlob);
  oids.forEach((oid, index) => stream.request(oid, index));
  await stream.end();
}
