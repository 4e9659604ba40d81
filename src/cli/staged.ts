import * as path from 'node:path';
import { git, readBlobs } from './gitBlobs';
import { MAX_FILE_BYTES, scanBytes, TOO_LARGE, type FileOutcome, type KeyHasher, type ScannerOptions } from './scanner';

export { GitError, readBlobs, type Blob } from './gitBlobs';

/**
 * `scan --staged`: scans what the next commit will contain, the index's blobs, not the working tree.
 * A key that was staged and then deleted from the working copy is still caught. Three git processes
 * whatever the number of files: rev-parse, diff --cached --raw (paths and blob ids), and one
 * cat-file --batch whose output is scanned blob by blob as it streams in.
 */

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
