// The CLI's walk: which files a scan reads, in a stable order, and what it leaves out and why.
import { lstatSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { describeError } from './scanner';

/** Directories the walk never enters (the editor's scan excludes the same). */
export const EXCLUDED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.git']);
export const OUTSIDE_LINK = 'a symlink to outside the scanned paths, skipped (--follow-symlinks follows it)';

export interface ScanTarget {
  /** Absolute path to open. */
  readonly file: string;
  /** How to show it when given explicitly; walked files are shown relative to the current directory. */
  readonly shown?: string;
}

export interface PathProblem {
  readonly path: string;
  readonly reason: string;
}

export interface Targets {
  readonly targets: ScanTarget[];
  /** Paths that could not be read: missing, unreadable directories. */
  readonly errors: PathProblem[];
  /** Paths deliberately left out (explicit sockets, FIFOs, devices). */
  readonly notes: PathProblem[];
}

/** Forward slashes for output (only changes anything on Windows). */
export function toSlashes(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

export function displayPath(target: ScanTarget, cwd: string): string {
  return target.shown ?? toSlashes(relative(cwd, target.file) || target.file);
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export interface CollectOptions {
  /** Follow file symlinks whose target is outside the roots (the given directories and the current one). */
  readonly followSymlinks?: boolean;
}

/** Real paths of the current directory and of every given directory: where a symlink may point. */
function scannedRoots(paths: readonly string[], cwd: string): string[] {
  const roots = new Set<string>();
  for (const p of [cwd, ...paths.map((given) => resolve(cwd, given))]) {
    try {
      if (statSync(p).isDirectory()) {
        roots.add(realpathSync(p));
      }
    } catch {
      // Reported by the walk.
    }
  }
  return [...roots];
}

function isInside(file: string, roots: readonly string[]): boolean {
  return roots.some((root) => file === root || file.startsWith(root.endsWith(sep) ? root : root + sep));
}

/**
 * Expands the given paths into the files to scan, in a stable order (given order, then names sorted
 * per directory). Explicit files are always included; walked directories skip node_modules and .git
 * and do not follow directory symlinks. A file symlink, walked or given, is followed only when its
 * target is inside the current directory or a given directory (a repository could link to
 * /proc/self/environ or ~/.aws), unless followSymlinks.
 */
export function collectTargets(paths: readonly string[], cwd: string, options: CollectOptions = {}): Targets {
  const targets: ScanTarget[] = [];
  const errors: PathProblem[] = [];
  const notes: PathProblem[] = [];
  const seen = new Set<string>();
  let roots: string[] | undefined;
  /** Whether a symlink at `link` may be followed; resolved lazily, as most trees have none. */
  const mayFollow = (link: string): boolean => {
    if (options.followSymlinks) {
      return true;
    }
    roots ??= scannedRoots(paths, cwd);
    try {
      return isInside(realpathSync(link), roots);
    } catch {
      return false;
    }
  };

  const add = (file: string, shown?: string): void => {
    if (!seen.has(file)) {
      seen.add(file);
      targets.push(shown === undefined ? { file } : { file, shown });
    }
  };

  const walk = (dir: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      errors.push({ path: toSlashes(relative(cwd, dir) || '.'), reason: describeError(error) });
      return;
    }
    entries.sort(byName);
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    for (const entry of entries) {
      const full = prefix + entry.name;
      if (entry.isFile()) {
        add(full);
      } else if (entry.isDirectory()) {
        if (!EXCLUDED_DIRECTORIES.has(entry.name)) {
          walk(full);
        }
      } else if (entry.isSymbolicLink()) {
        // Symlinked files inside the roots are scanned; symlinked directories are not followed (loops); dangling links are ignored.
        let isFile = false;
        try {
          isFile = statSync(full).isFile();
        } catch {
          // dangling
        }
        if (isFile) {
          if (mayFollow(full)) {
            add(full);
          } else {
            notes.push({ path: toSlashes(relative(cwd, full) || full), reason: OUTSIDE_LINK });
          }
        }
      }
    }
  };

  for (const given of paths) {
    const full = resolve(cwd, given);
    let stat: Stats;
    try {
      stat = statSync(full);
    } catch (error) {
      errors.push({ path: toSlashes(given), reason: describeError(error) });
      continue;
    }
    if (stat.isDirectory()) {
      walk(full);
    } else if (stat.isFile()) {
      if (lstatSync(full).isSymbolicLink() && !mayFollow(full)) {
        notes.push({ path: toSlashes(given), reason: OUTSIDE_LINK });
      } else {
        add(full, toSlashes(given));
      }
    } else {
      notes.push({ path: toSlashes(given), reason: 'not a regular file or directory, skipped' });
    }
  }
  return { targets, errors, notes };
}
