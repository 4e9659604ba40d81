import * as fs from 'node:fs';
import * as path from 'node:path';

export interface DiskSearch {
  readonly filesSearched: number;
  /** Files holding a secret (UTF-8 or UTF-16LE, as browsers' and SQLite stores keep text). */
  readonly hits: string[];
}

/** Every regular file under `root` (symlinks not followed), searched for each secret. */
export function searchDisk(root: string, secrets: readonly string[]): DiskSearch {
  const needles = secrets.flatMap((s) => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le')]);
  const hits: string[] = [];
  let filesSearched = 0;
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.isFile()) {
        filesSearched++;
        const bytes = fs.readFileSync(full);
        if (needles.some((n) => bytes.includes(n))) {
          hits.push(path.relative(root, full));
        }
      }
    }
  };
  if (secrets.length > 0) {
    walk(root);
  }
  return { filesSearched, hits };
}
