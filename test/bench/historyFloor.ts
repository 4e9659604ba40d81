import { spawn } from 'node:child_process';

/**
 * The floor for the history benchmark: every object of the repository out of one
 * `git cat-file --batch-all-objects --batch`, searched for "sk-ant-" as it streams (a few bytes
 * carried over between chunks), with no parsing of the framing, no detection and no output beyond
 * one JSON line of counts. With --unordered git reads the objects in pack order instead of object-id
 * order: far fewer delta bases rebuilt, so a stricter floor than the issue's.
 * Usage: node out/test/bench/historyFloor.js REPO [--unordered]
 */

const NEEDLE = Buffer.from('sk-ant-', 'latin1');
const order = process.argv.includes('--unordered') ? ['--unordered'] : [];
const child = spawn('git', ['cat-file', '--batch-all-objects', '--batch', ...order], { cwd: process.argv[2] ?? '.', stdio: ['ignore', 'pipe', 'inherit'] });
let bytes = 0;
let hits = 0;
let tail: Buffer = Buffer.alloc(0);
child.stdout.on('data', (chunk: Buffer) => {
  bytes += chunk.length;
  const data = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
  for (let at = data.indexOf(NEEDLE); at !== -1; at = data.indexOf(NEEDLE, at + 1)) {
    hits++;
  }
  tail = data.subarray(Math.max(0, data.length - (NEEDLE.length - 1)));
});
child.on('close', (status) => {
  process.stdout.write(`${JSON.stringify({ bytes, hits })}\n`);
  process.exitCode = status ?? 1;
});
