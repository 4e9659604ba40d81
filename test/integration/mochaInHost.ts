import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import Mocha from 'mocha';
import { countsText } from '../harness/layerResult';

/**
 * Runs every *.test.js in `dir` with mocha inside the extension host. console output is not
 * visible from here, so results go to the report file the harness names.
 */
export async function runSuitesInHost(dir: string): Promise<void> {
  const reportPath = process.env.CLAUDE_KEYS_TEST_REPORT;
  const write = (line: string): void => {
    if (reportPath) {
      fs.appendFileSync(reportPath, line + '\n');
    }
  };
  write(`extension host: VS Code ${vscode.version}, appName ${vscode.env.appName}, uiKind ${vscode.UIKind[vscode.env.uiKind]}, node ${process.version}, workspace trusted ${vscode.workspace.isTrusted}`);

  // CLAUDE_KEYS_TEST_GREP runs only the tests whose full title matches (a developer's quick loop).
  const grep = process.env.CLAUDE_KEYS_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 20_000, color: false, reporter: 'dot', ...(grep ? { grep } : {}) });
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(dir, file));
  }
  await new Promise<void>((resolve, reject) => {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const runner = mocha.run(() => undefined);
    runner.on('pending', (test: Mocha.Test) => {
      skipped++;
      write(`  - ${test.fullTitle()} (skipped)`);
    });
    runner.on('pass', (test: Mocha.Test) => {
      passed++;
      write(`  ✓ ${test.fullTitle()}`);
    });
    runner.on('fail', (test: Mocha.Test, error: Error) => {
      failed++;
      write(`  ✗ ${test.fullTitle()}\n      ${String(error?.stack ?? error).split('\n').slice(0, 16).join('\n      ')}`);
    });
    runner.on('end', () => {
      write(countsText(passed, failed, skipped));
      if (failed > 0) {
        reject(new Error(`${failed} integration test(s) failed`));
      } else {
        resolve();
      }
    });
  });
}
