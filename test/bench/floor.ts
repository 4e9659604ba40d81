import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The floor for the CLI benchmark: the least any Node scanner must do. Walks the tree (skipping
 * node_modules and .git, like the CLI), reads every file into one reused buffer and searches it for
 * "sk-ant-". No decoding, no detection, no output beyond one JSON line of counts. With --read-only it
 * skips the search too: the cost of getting the bytes into memory at all.
 * Usage: node out/test/bench/floor.js DIR [--read-only]
 */

const NEEDLE = Buffer.from('sk-ant-', 'latin1');
let buffer = Buffer.allocUnsafe(1 << 20);
let files = 0;
let bytes = 0;
let hits = 0;
const search = !process.argv.includes('--read-only');

function readInto(file: string): number {
  const fd = fs.openSync(file, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const count = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (count === 0) {
        return length;
      }
      length += count;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function walk(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = dir + path.sep + entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== '.git') {
        walk(full);
      }
    } else if (entry.isFile()) {
      const length = readInto(full);
      files++;
      bytes += length;
      if (search && buffer.subarray(0, length).indexOf(NEEDLE) !== -1) {
        hits++;
      }
    }
  }
}

walk(path.resolve(process.argv[2] ?? '.'));
process.stdout.write(`${JSON.stringify({ files, bytes, hits })}\n`);
