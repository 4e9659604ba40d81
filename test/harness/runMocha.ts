import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import type { LayerResult } from './layerResult';

/** Runs every `*.test.js` under `dir` in this Node process and counts the results. */
export async function runMochaLayer(layer: string, dir: string, timeoutMs: number): Promise<LayerResult> {
  // CLAUDE_KEYS_TEST_GREP runs only the tests whose full title matches (a developer's quick loop).
  const grep = process.env.CLAUDE_KEYS_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: timeoutMs, reporter: 'spec', color: false, ...(grep ? { grep } : {}) });
  for (const file of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(dir, file));
  }
  await mocha.loadFilesAsync();
  return new Promise((resolve) => {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const runner = mocha.run(() => resolve({ layer, passed, failed, skipped }));
    runner.on('pass', () => passed++);
    runner.on('fail', () => failed++);
    runner.on('pending', () => skipped++);
  });
}
