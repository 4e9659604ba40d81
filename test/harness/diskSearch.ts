import * as fs from 'node:fs';
import * as path from 'node:path';

export interface DiskSearch {
  readonly filesSearched: number;
  /** Files holding a secret (UTF-8 or UTF-16LE, as browsers' and SQLite stores keep text). */
  readonly hits: string[];
}

export interface SearchedFile {
  readonly file: string;
  readonly bytes: number;
}

/** Every regular file under `root`, symlinks not followed (the extension's folder links to the repo). */
export function filesUnder(root: string): SearchedFile[] {
  const out: SearchedFile[] = [];
  if (!fs.existsSync(root)) {
    return out;
  }
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.isFile()) {
        out.push({ file: full, bytes: fs.statSync(full).size });
      }
    }
  };
  const stat = fs.lstatSync(root);
  if (stat.isDirectory()) {
    walk(root);
  } else if (stat.isFile()) {
    out.push({ file: root, bytes: stat.size });
  }
  return out;
}

/** Every regular file under `root` (symlinks not followed), searched for each secret. */
export function searchDisk(root: string, secrets: readonly string[]): DiskSearch {
  if (secrets.length === 0) {
    return { filesSearched: 0, hits: [] };
  }
  // A missing folder is an error, not a clean search (statSync throws).
  if (!fs.statSync(root).isDirectory()) {
    throw new Error(`${root} is not a folder`);
  }
  const needles = secrets.flatMap((s) => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le')]);
  const files = filesUnder(root);
  const hits = files.filter(({ file }) => {
    const bytes = fs.readFileSync(file);
    return needles.some((n) => bytes.includes(n));
  });
  return { filesSearched: files.length, hits: hits.map(({ file }) => path.relative(root, file)) };
}
