import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describeError, MAX_FILE_BYTES, scanBytes, TOO_LARGE, type FileOutcome, type KeyHasher, type ScannerOptions } from './scanner';

/**
 * `scan --staged`: scans what the next commit will contain, the index's blobs, not the working tree.
 * A key that was staged and then deleted from the working copy is still caught. Three git processes
 * whatever the number of files: rev-parse, diff --cached --raw (paths and blob ids), and one
 * cat-file --batch whose output is scanned blob by blob as it streams in.
 */

/** git is missing or failed: the staged scan cannot run at all (exit 2). */
export class GitError extends Error {}

export interface StagedFile {
  /** Path from the repository root, as git prints it (forward slashes). */
  readonly path: string;
  /** The blob in the index: what the commit will hold. */
  readonly oid: string;
}

export interface StagedOutcome {
  /** The path relative to the current directory. */
  readonly shown: string;
  readonly outcome: FileOutcome;
}

/**
 * diff.relative=true would make diff's paths relative to the current directory and drop the
 * others; PATHs are file names, not globs or :(magic).
 */
const GIT_GLOBAL = ['-c', 'diff.relative=false', '--literal-pathspecs'];
// Read-only: never take index.lock to refresh stat data (a pre-commit hook runs while commit holds it).
const GIT_ENV = { ...process.env, GIT_OPTIONAL_LOCKS: '0' };

/** git's own reason: the fatal/error line of its stderr, without the prefix. */
function gitReason(stderr: string, fallback: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  const line = lines.find((l) => /^(fatal|error): /.test(l)) ?? lines[0];
  return line ? line.replace(/^(fatal|error): /, '') : fallback;
}

function notRunnable(error: Error): GitError {
  const code = (error as NodeJS.ErrnoException).code;
  return new GitError(code === 'ENOENT' ? 'git is not installed or not on PATH' : `cannot run git: ${describeError(error)}`);
}

function git(args: readonly string[], cwd: string): string {
  const result = spawnSync('git', [...GIT_GLOBAL, ...args], { cwd, env: GIT_ENV, maxBuffer: Infinity, windowsHide: true });
  if (result.error) {
    throw notRunnable(result.error);
  }
  if (result.status !== 0) {
    throw new GitError(gitReason(result.stderr.toString('utf8'), `git ${args[0]} exited with status ${result.status}`));
  }
  return result.stdout.toString('utf8');
}

/**
 * Entries of `git diff --raw -z --no-abbrev` that hold file content: regular files only, so
 * submodules (160000, a commit id) and symlinks (120000, a target path) are left out.
 */
export function parseRawDiff(raw: string): StagedFile[] {
  const fields = raw.split('\0');
  const files: StagedFile[] = [];
  // `:srcmode dstmode srcoid dstoid status` then one path, or two for renames and copies.
  for (let i = 0; i < fields.length && fields[i].startsWith(':'); ) {
    const [, mode, , oid, status] = fields[i].slice(1).split(' ');
    const twoPaths = status.startsWith('R') || status.startsWith('C');
    const file = fields[i + (twoPaths ? 2 : 1)];
    i += twoPaths ? 3 : 2;
    if (mode.startsWith('100')) {
      files.push({ path: file, oid });
    }
  }
  return files;
}

/**
 * The staged files under `paths` (all of them when none are given): added, copied, modified,
 * renamed or changed in type relative to HEAD. Before the first commit `git diff --cached` compares
 * with the empty tree, so every file in the index is listed.
 */
export function listStaged(paths: readonly string[], cwd: string): StagedFile[] {
  // --no-renames: a rename is listed as its new path, and no time goes into finding renames.
  const args = ['diff', '--cached', '--raw', '-z', '--no-abbrev', '--no-renames', '--no-color', '--diff-filter=ACMRT', '--', ...paths];
  return parseRawDiff(git(args, cwd));
}

/** A blob's content, or why there is none. */
export type Blob = { readonly content: Buffer } | { readonly tooLarge: number } | { readonly missing: true };

/**
 * Streams the blobs `oids` out of one `git cat-file --batch` and hands each to `onBlob` in order.
 * Blobs over `limit` bytes are passed over without being kept. Framing: `<oid> <type> <size>\n`,
 * the content, `\n`; or `<oid> missing\n`.
 */
export function readBlobs(oids: readonly string[], cwd: string, limit: number, onBlob: (index: number, blob: Blob) => void): Promise<void> {
  if (oids.length === 0) {
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...GIT_GLOBAL, 'cat-file', '--batch'], { cwd, env: GIT_ENV, windowsHide: true });
    let index = 0;
    let header: Buffer[] = [];
    // The blob being read: bytes still due (content and its trailing \n), and its parts unless too large.
    let body: { size: number; due: number; parts: Buffer[] | undefined } | undefined;
    let stderr = '';
    let failed = false;
    const fail = (error: Error): void => {
      if (!failed) {
        failed = true;
        child.kill();
        reject(error);
      }
    };
    const deliver = (blob: Blob): void => {
      try {
        onBlob(index++, blob);
      } catch (error) {
        fail(error instanceof Error ? error : new Error(String(error)));
      }
    };

    child.stdout.on('data', (chunk: Buffer) => {
      let at = 0;
      while (at < chunk.length && !failed) {
        if (body === undefined) {
          const end = chunk.indexOf(0x0a, at);
          if (end === -1) {
            header.push(chunk.subarray(at));
            return;
          }
          header.push(chunk.subarray(at, end));
          const line = Buffer.concat(header).toString('latin1');
          header = [];
          at = end + 1;
          const [, type, size] = line.split(' ');
          if (type === 'missing') {
            deliver({ missing: true });
          } else if (size === undefined || !/^\d+$/.test(size)) {
            // Not quoted: out of step, the line could be file content.
            fail(new GitError('unexpected output from git cat-file'));
          } else {
            const bytes = Number(size);
            body = { size: bytes, due: bytes + 1, parts: bytes <= limit ? [] : undefined };
          }
          continue;
        }
        const take = Math.min(body.due, chunk.length - at);
        body.parts?.push(chunk.subarray(at, at + take));
        body.due -= take;
        at += take;
        if (body.due === 0) {
          const { size, parts } = body;
          body = undefined;
          deliver(parts ? { content: (parts.length === 1 ? parts[0] : Buffer.concat(parts)).subarray(0, size) } : { tooLarge: size });
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    // A git that died early closes the pipe; its exit status tells why.
    child.stdin.on('error', () => undefined);
    child.on('error', (error) => fail(notRunnable(error)));
    child.on('close', (status) => {
      if (failed) {
        return;
      }
      if (status !== 0) {
        fail(new GitError(gitReason(stderr, `git cat-file exited with status ${status}`)));
      } else if (index !== oids.length || body !== undefined) {
        fail(new GitError(`git cat-file returned ${index} of ${oids.length} blobs`));
      } else {
        resolve();
      }
    });
    child.stdin.end(`${oids.join('\n')}\n`);
  });
}

/**
 * Scans the staged content of the files under `paths` (the whole index when none are given), in
 * git's path order. Paths are shown relative to `cwd`, which may be a subdirectory of the repository.
 */
export async function scanStaged(paths: readonly string[], cwd: string, options: ScannerOptions, hasher?: KeyHasher): Promise<StagedOutcome[]> {
  // Also the check that cwd is in a work tree.
  const prefix = git(['rev-parse', '--show-prefix'], cwd).replace(/\n$/, '');
  const files = listStaged(paths, cwd);
  const outcomes: FileOutcome[] = [];
  await readBlobs(
    files.map((f) => f.oid),
    cwd,
    MAX_FILE_BYTES,
    (index, blob) => {
      outcomes[index] =
        'content' in blob
          ? scanBytes(blob.content, blob.content.length, options, hasher)
          : 'tooLarge' in blob
            ? { bytes: 0, skipped: TOO_LARGE }
            : { bytes: 0, error: 'blob missing from the repository' };
    },
  );
  return files.map((f, i) => ({ shown: path.posix.relative(`/${prefix}`, `/${f.path}`), outcome: outcomes[i] }));
}
