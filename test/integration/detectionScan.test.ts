import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants';
import type { ScanSummary } from '../../src/detection/workspaceScan';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import { fakeKeys } from '../fakes/keys';
import { diagnosticsCount, ourDiagnostics, settle, storeDirectly, untitledDocument } from './helpers';
import { detectionSuite } from './detectionSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

/** The last four characters of a key: what its masked form shows. */
function maskKeyTail(key: string): string {
  return `…${key.slice(-4)}`;
}

/** Scan Workspace, a hostile repository and hostile documents. */
describe('Hard-coded key detection in the editor', () => {
  let api: ClaudeKeysTestApi;
  let user: ScriptedInteraction;
  let scratch: vscode.Uri;

  const write = detectionSuite((h) => ({ api, user, scratch } = h));

  describe('Scan Workspace', () => {
    it('finds keys in every file (dotfiles and closed files too), skips node_modules, .git, files.exclude and binaries, and sums up', async () => {
      const keys = Array.from({ length: 6 }, () => fakeKeys.apiKey());
      const envFile = await write('.env', `ANTHROPIC_API_KEY=${keys[0]}\n`);
      const closed = await write('src/closed.py', `x = 1\nKEY = "${keys[1]}"\n`);
      await write('node_modules/lib/index.js', `module.exports = "${keys[2]}";\n`);
      await write('generated/out.js', `k = "${keys[3]}"\n`);
      const binary = new Uint8Array(200);
      binary.set(new TextEncoder().encode(keys[4]), 50);
      await write('image.bin', binary);
      await write('notebook.ipynb', JSON.stringify({ cells: [{ cell_type: 'code', source: [`key = "${keys[5]}"\n`] }] }));
      await storeDirectly(api, { default: keys[1] });
      const config = vscode.workspace.getConfiguration('files');
      await config.update('exclude', { '**/generated/**': true }, vscode.ConfigurationTarget.Global);
      try {
        const summary = (await vscode.commands.executeCommand(Commands.scanWorkspace)) as ScanSummary;
        assert.equal(ourDiagnostics(envFile).length, 1, '.env not scanned');
        assert.equal(ourDiagnostics(vscode.Uri.joinPath(scratch, 'notebook.ipynb')).length, 1, 'notebook not scanned');
        assert.equal(summary.findings, 3, JSON.stringify(summary));
        assert.equal(summary.filesWithFindings, 3);
        assert.equal(summary.storedKeyFindings, 1);
        assert.ok(summary.skipped >= 1, 'the binary was not skipped');
        assert.equal(ourDiagnostics(envFile).length, 1);
        assert.equal(ourDiagnostics(closed).length, 1);
        assert.equal(ourDiagnostics(closed)[0].range.start.line, 1);
        assert.match(ourDiagnostics(closed)[0].message, /It is your stored key "default"/);
        assert.equal(ourDiagnostics(vscode.Uri.joinPath(scratch, 'node_modules/lib/index.js')).length, 0);
        assert.equal(ourDiagnostics(vscode.Uri.joinPath(scratch, 'generated/out.js')).length, 0);
        assert.equal(ourDiagnostics(vscode.Uri.joinPath(scratch, 'notebook.ipynb')).length, 1);
        assert.ok(vscode.workspace.textDocuments.every((d) => d.uri.toString() !== closed.toString()), 'the scan opened the closed file');
        assert.match(user.messages[user.messages.length - 1].message, /Scanned \d+ files: 3 hard-coded Claude keys in 3 files \(1 of them your stored key\)/);
        assert.ok(user.progressTitles.some((t) => /scanning/.test(t)));
        assert.ok(!user.everythingShown().includes(keys[0]));
      } finally {
        await config.update('exclude', undefined, vscode.ConfigurationTarget.Global);
        api.diagnostics.collection.clear();
      }
    });

    it('an unsaved edit is scanned as the editor holds it (its lines and columns), not as the disk does', async () => {
      const key = fakeKeys.apiKey();
      const file = await write('src/unsaved.py', 'import os\r\n\r\nclient = None\r\n');
      const editor = await vscode.window.showTextDocument(file);
      await editor.edit((edit) => edit.insert(new vscode.Position(2, 9), `"${key}" or `));
      assert.ok(editor.document.isDirty);
      // Only the scan may put the diagnostic back: the live one is dropped first.
      await settle(400);
      api.diagnostics.collection.clear();
      try {
        const summary = (await vscode.commands.executeCommand(Commands.scanWorkspace)) as ScanSummary;
        assert.equal(summary.findings, 1, JSON.stringify(summary));
        const [found] = ourDiagnostics(file);
        assert.deepEqual([found.range.start.line, found.range.start.character, found.range.end.character], [2, 10, 10 + key.length]);
        assert.ok(found.message.includes(maskKeyTail(key)), found.message);
      } finally {
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
        api.diagnostics.collection.clear();
      }
    });

    it('stops when cancelled', async () => {
      await write('a.txt', 'nothing here');
      user.cancelProgress = true;
      const summary = (await vscode.commands.executeCommand(Commands.scanWorkspace)) as ScanSummary;
      assert.equal(summary.cancelled, true);
      assert.match(user.messages[user.messages.length - 1].message, /Scan stopped after/);
    });

    it('a Cancel that arrives after the last file is read leaves a complete scan', async () => {
      await write('done/a.py', `KEY = "${fakeKeys.apiKey()}"\n`);
      const finalReport = (message: string): boolean => /^(\d+) of \1 files$/.test(message);
      user.cancelProgressOn = finalReport;
      const summary = (await vscode.commands.executeCommand(Commands.scanWorkspace)) as ScanSummary;
      try {
        assert.ok(user.progressReports.some(finalReport), `no final report to cancel on: ${JSON.stringify(user.progressReports)}`);
        assert.equal(summary.cancelled, false);
        assert.ok(summary.findings >= 1);
        assert.doesNotMatch(user.messages[user.messages.length - 1].message, /Scan stopped/);
      } finally {
        api.diagnostics.collection.clear();
      }
    });

    it('stops mid-scan when cancelled: no file read after Cancel, says so, and marks only what it read', async () => {
      const total = 200;
      const keys = new Map<string, string>();
      for (let i = 0; i < total; i++) {
        const key = fakeKeys.apiKey();
        keys.set(vscode.Uri.joinPath(scratch, 'many', `f${i}.py`).toString(), key);
        await write(`many/f${i}.py`, `KEY = "${key}"\n`);
      }
      // Cancel as soon as the scan reports its first files done.
      user.cancelProgressOn = (message) => /^[1-9]\d* of \d+ files$/.test(message);
      const summary = (await vscode.commands.executeCommand(Commands.scanWorkspace)) as ScanSummary;
      try {
        assert.equal(summary.cancelled, true);
        assert.equal(user.progressReports.length, 1, `reports after Cancel: ${JSON.stringify(user.progressReports)}`);
        const [done, of] = (/^(\d+) of (\d+) files$/.exec(user.progressReports[0]) ?? []).slice(1).map(Number);
        assert.ok(of >= total, user.progressReports[0]);
        assert.equal(summary.files, done, 'files were read after Cancel');
        assert.ok(summary.files < total, `stopped after ${summary.files} of ${of} files`);
        assert.match(user.messages[user.messages.length - 1].message, new RegExp(`^Scan stopped after ${summary.files} files: ${summary.findings} hard-coded keys found so far\\.`));
        // Problems hold exactly what was counted, and nothing lands after the scan returned.
        const marked = (): vscode.Diagnostic[][] => [...keys.keys()].map((u) => ourDiagnostics(vscode.Uri.parse(u))).filter((d) => d.length > 0);
        assert.equal(marked().length, summary.filesWithFindings);
        assert.equal(marked().flat().length, summary.findings);
        assert.ok(summary.findings > 0 && summary.findings <= summary.files);
        await settle(300);
        assert.equal(marked().length, summary.filesWithFindings, 'diagnostics appeared after the scan stopped');
        assert.ok(![...keys.values()].some((k) => user.everythingShown().includes(k)));
      } finally {
        api.diagnostics.collection.clear();
      }
    });
  });

  describe('Scan Workspace in a hostile repository', () => {
    it('does not follow symlinks (files or directories) to outside the workspace; inside ones and FIFOs do no harm', async function () {
      if (scratch.scheme !== 'file' || process.platform === 'win32') {
        this.skip();
      }
      const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'claude-keys-outside-')));
      const keys = { outsideFile: fakeKeys.apiKey(), outsideDir: fakeKeys.apiKey(), inside: fakeKeys.apiKey() };
      try {
        fs.writeFileSync(path.join(outside, 'home.env'), `ANTHROPIC_API_KEY=${keys.outsideFile}\n`);
        fs.mkdirSync(path.join(outside, 'dir'));
        fs.writeFileSync(path.join(outside, 'dir', 'deep.env'), `ANTHROPIC_API_KEY=${keys.outsideDir}\n`);
        const real = await write('hostile/real.env', `ANTHROPIC_API_KEY=${keys.inside}\n`);
        const dir = path.dirname(real.fsPath);
        fs.symlinkSync(path.join(outside, 'home.env'), path.join(dir, 'link-out.env'));
        fs.symlinkSync(path.join(outside, 'dir'), path.join(dir, 'linked-dir'));
        fs.symlinkSync('real.env', path.join(dir, 'link-in.env'));
        let fifo = false;
        try {
          execFileSync('mkfifo', [path.join(dir, 'pipe')]);
          fifo = true;
        } catch {
          // no mkfifo: the symlink checks still run
        }
        const summary = (await vscode.commands.executeCommand(Commands.scanWorkspace)) as ScanSummary;
        try {
          const at = (name: string): vscode.Diagnostic[] => ourDiagnostics(vscode.Uri.file(path.join(dir, name)));
          assert.equal(at('real.env').length, 1);
          assert.equal(at('link-in.env').length, 1, 'a symlink inside the workspace is scanned');
          assert.equal(at('link-out.env').length, 0, 'followed a file symlink out of the workspace');
          assert.equal(at('linked-dir/deep.env').length, 0, 'followed a directory symlink out of the workspace');
          assert.equal(summary.cancelled, false);
          assert.ok(!fifo || summary.skipped >= 1, JSON.stringify(summary));
          assert.ok(![keys.outsideFile, keys.outsideDir].some((k) => user.everythingShown().includes(maskKeyTail(k))), 'an outside key was reported');
        } finally {
          api.diagnostics.collection.clear();
        }
      } finally {
        fs.rmSync(outside, { recursive: true, force: true });
      }
    });
  });

  describe('hostile documents', () => {
    it('a single 1M-character line with a key at its end is checked', async () => {
      const key = fakeKeys.apiKey();
      const doc = await untitledDocument('javascript', `var a="${'x;'.repeat(500_000)}";var k="${key}";`);
      const [d] = await diagnosticsCount(doc.uri, 1);
      assert.equal(d.range.start.line, 0);
      assert.equal(d.range.start.character, 1_000_000 + 16);
    });

    it('a document over the live limit is skipped with a one-time note; binary content is skipped', async () => {
      const key = fakeKeys.apiKey();
      const big = await write('big.txt', `${'lorem ipsum dolor sit amet\n'.repeat(420_000)}${key}\n`);
      const doc = await vscode.workspace.openTextDocument(big);
      await settle(400);
      assert.equal(ourDiagnostics(doc.uri).length, 0);
      assert.equal(user.messages.filter((m) => /does not check .*big\.txt as you type: it is 10\.8 MB/.test(m.message)).length, 1);
      await api.diagnostics.diagnose(doc);
      assert.equal(user.messages.filter((m) => /as you type/.test(m.message)).length, 1, 'noted twice');

      const binary = await untitledDocument('plaintext', `\u0000\u0001${key}`);
      assert.deepEqual(await api.diagnostics.diagnose(binary), []);
    });

    it('the workspace scan reads a 50 MB file and finds the key at its end', async () => {
      const key = fakeKeys.apiKey();
      const chunk = 'const value = Math.random() * 42; // filler line for a very large file\n';
      await write('huge.js', chunk.repeat(Math.ceil((50 * 1024 * 1024) / chunk.length)) + `const k = "${key}";\n`);
      const summary = (await vscode.commands.executeCommand(Commands.scanWorkspace)) as ScanSummary;
      assert.ok(summary.findings >= 1);
      const huge = ourDiagnostics(vscode.Uri.joinPath(scratch, 'huge.js'));
      assert.equal(huge.length, 1);
      api.diagnostics.collection.clear();
    });
  });
});
