import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, DiagnosticCodes, Settings } from '../../src/constants';
import { EMPTY_KEYRING } from '../../src/core/keyring';
import { GitStatus } from '../../src/detection/gitStatus';
import { HardcodedKeyDiagnostics } from '../../src/detection/hardcodedKeyDiagnostics';
import type { MoveOutcome, LiveCheckOutcome } from '../../src/detection/detectedKeyCommands';
import type { ScanSummary } from '../../src/detection/workspaceScan';
import type { KeyStore } from '../../src/keys/keyStore';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { maskKey } from '../../src/core/mask';
import { fakeKeys } from '../fakes/keys';
import { diagnosticsCount, everythingPersisted, keyring, ourDiagnostics, settle, storeDirectly, storedKey, until, untitledDocument } from './helpers';
import { gitRepository, hostSuite } from './hostSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

const masked = (key: string): string => `sk-ant-api03-…${key.slice(-4)}`;
const OUR_TITLES = /^(Move key to SecretStorage|Ignore this occurrence|Add .* to \.gitignore|Check if this key is live|Rotate this key)/;

/** The last four characters of a key: what its masked form shows. */
function maskKeyTail(key: string): string {
  return `…${key.slice(-4)}`;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}

async function codeActions(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range)) ?? [];
  return actions.filter((a) => OUR_TITLES.test(a.title));
}

async function run(action: vscode.CodeAction): Promise<unknown> {
  if (action.edit) {
    assert.ok(await vscode.workspace.applyEdit(action.edit));
  }
  if (action.command) {
    return vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
  return undefined;
}

describe('Hard-coded key detection in the editor', () => {
  let api: ClaudeKeysTestApi;
  let user: ScriptedInteraction;
  let fake: FakeAnthropicApi;
  let scratch: vscode.Uri;

  hostSuite((h) => ({ api, user, fake, scratch } = h), { scratch: 'detection-scratch', closeEditorsAfterEach: true });

  beforeEach(() => {
    // The fixes ask first (a modal naming the key and file): the user says yes.
    user.answerMessage = (m) => (m.options.modal ? m.actions[0] : undefined);
  });

  const write = async (relative: string, text: string | Uint8Array): Promise<vscode.Uri> => {
    const uri = vscode.Uri.joinPath(scratch, relative);
    await vscode.workspace.fs.writeFile(uri, typeof text === 'string' ? new TextEncoder().encode(text) : text);
    return uri;
  };

  describe('diagnostics', () => {
    it('appear on open with the masked key, a stable code per kind and the severity setting; update as you type; clear on close', async () => {
      const key = fakeKeys.apiKey();
      const admin = fakeKeys.adminKey();
      const token = fakeKeys.oauthAccessToken();
      const doc = await untitledDocument('typescript', `const a = "${key}";\nconst b = '${admin}';\nconst c = \`${token}\`;\n`);
      await vscode.window.showTextDocument(doc);
      const found = await diagnosticsCount(doc.uri, 3);
      const byCode = Object.fromEntries(found.map((d) => [String(d.code), d]));
      assert.deepEqual(Object.keys(byCode).sort(), [DiagnosticCodes.adminKey, DiagnosticCodes.apiKey, DiagnosticCodes.oauthAccessToken].sort());
      const apiDiagnostic = byCode[DiagnosticCodes.apiKey];
      assert.equal(apiDiagnostic.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(byCode[DiagnosticCodes.oauthAccessToken].severity, vscode.DiagnosticSeverity.Warning);
      assert.deepEqual([apiDiagnostic.range.start.line, apiDiagnostic.range.start.character, apiDiagnostic.range.end.character], [0, 11, 11 + key.length]);
      assert.equal(apiDiagnostic.message, `Hard-coded Claude API key ${masked(key)}. Move it out of the source: use the quick fix.`);
      for (const d of found) {
        assert.ok(![key, admin, token].some((k) => d.message.includes(k)), 'a diagnostic shows the key');
      }

      // Typing: remove the first key, then add one on a new line.
      const editor = vscode.window.activeTextEditor;
      assert.ok(editor);
      await editor.edit((e) => e.delete(new vscode.Range(0, 11, 0, 11 + key.length)));
      await diagnosticsCount(doc.uri, 2);
      const another = fakeKeys.apiKey();
      await editor.edit((e) => e.insert(new vscode.Position(3, 0), `const d = "${another}";\n`));
      await diagnosticsCount(doc.uri, 3);

      await vscode.workspace.getConfiguration(Settings.section).update(Settings.detectionSeverity, { apiKey: 'warning' }, vscode.ConfigurationTarget.Global);
      try {
        await until(() => (ourDiagnostics(doc.uri).find((d) => d.code === DiagnosticCodes.apiKey)?.severity === vscode.DiagnosticSeverity.Warning ? true : undefined), 'severity change');
      } finally {
        await vscode.workspace.getConfiguration(Settings.section).update(Settings.detectionSeverity, undefined, vscode.ConfigurationTarget.Global);
      }

      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await diagnosticsCount(doc.uri, 0);
    });

    it('start() after dispose subscribes to nothing (activation defers start(), so it can come late)', async () => {
      let subscriptions = 0;
      const store = {
        onDidChange: () => (subscriptions++, { dispose: () => undefined }),
        getKeyring: async () => EMPTY_KEYRING,
      } as unknown as KeyStore;
      const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
      const started = new HardcodedKeyDiagnostics(store, new GitStatus(os.tmpdir()), user, silent);
      started.start();
      started.dispose();
      assert.equal(subscriptions, 1, 'start() did not follow the store');
      const disposed = new HardcodedKeyDiagnostics(store, new GitStatus(os.tmpdir()), user, silent);
      disposed.dispose();
      disposed.start();
      assert.equal(subscriptions, 1, 'a disposed instance subscribed again');
    });

    it('says when the key is the stored key, and never logs or persists it', async () => {
      const key = fakeKeys.apiKey();
      await storeDirectly(api, { work: key });
      const doc = await untitledDocument('python', `KEY = "${key}"\n`);
      const [d] = await diagnosticsCount(doc.uri, 1);
      assert.match(d.message, /It is your stored key "work"\./);
      assert.ok(!everythingPersisted(api).includes(key));
    });

    it('honours ignore markers: ours, gitleaks:allow, secretlint-disable-line and -next-line', async () => {
      const keys = Array.from({ length: 5 }, () => fakeKeys.apiKey());
      const content = [
        `a = "${keys[0]}"  # claude-keys:ignore`,
        `b = "${keys[1]}"  # gitleaks:allow`,
        `c = "${keys[2]}"  # secretlint-disable-line`,
        `# secretlint-disable-next-line`,
        `d = "${keys[3]}"`,
        `e = "${keys[4]}"`,
      ].join('\n');
      const doc = await untitledDocument('python', content);
      const [d] = await diagnosticsCount(doc.uri, 1);
      assert.equal(d.range.start.line, 5);
    });

    it('ignores placeholders, fake bodies and other providers\' keys', async () => {
      const prefix = ['sk', 'ant', 'api03', ''].join('-');
      const content = [
        `${prefix}...`,
        `${prefix}xxxxx`,
        'YOUR_KEY_HERE',
        `${prefix}${'x'.repeat(93)}AA`,
        fakeKeys.openAiProjectKey(),
        fakeKeys.githubToken(),
        'const important_api03 = 1;',
        `real: ${fakeKeys.apiKey()}`,
      ].join('\n');
      const doc = await untitledDocument('markdown', content);
      const [d] = await diagnosticsCount(doc.uri, 1);
      assert.equal(d.range.start.line, 7);
    });
  });

  describe('quick fix: Move to SecretStorage and read the environment', () => {
    const cases: ReadonlyArray<{ language: string; before: (k: string) => string; after: string }> = [
      { language: 'javascript', before: (k) => `const client = new Anthropic({ apiKey: "${k}" });\n`, after: 'const client = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });\n' },
      { language: 'typescript', before: (k) => `const apiKey: string = '${k}';\n`, after: 'const apiKey: string = process.env.ANTHROPIC_API_KEY;\n' },
      {
        language: 'python',
        before: (k) => `#!/usr/bin/env python3\n"""Demo."""\nfrom __future__ import annotations\nimport anthropic\nclient = anthropic.Anthropic(api_key="${k}")\n`,
        after: '#!/usr/bin/env python3\n"""Demo."""\nfrom __future__ import annotations\nimport os\nimport anthropic\nclient = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])\n',
      },
      { language: 'python', before: (k) => `import os\nKEY = r'${k}'\n`, after: 'import os\nKEY = os.environ["ANTHROPIC_API_KEY"]\n' },
      { language: 'go', before: (k) => `key := "${k}"\n`, after: 'key := os.Getenv("ANTHROPIC_API_KEY")\n' },
      { language: 'java', before: (k) => `String key = "${k}";\n`, after: 'String key = System.getenv("ANTHROPIC_API_KEY");\n' },
      { language: 'csharp', before: (k) => `var key = "${k}";\n`, after: 'var key = Environment.GetEnvironmentVariable("ANTHROPIC_API_KEY");\n' },
      { language: 'ruby', before: (k) => `key = '${k}'\n`, after: 'key = ENV["ANTHROPIC_API_KEY"]\n' },
      { language: 'php', before: (k) => `$key = '${k}';\n`, after: "$key = getenv('ANTHROPIC_API_KEY');\n" },
      { language: 'rust', before: (k) => `let key = "${k}";\n`, after: 'let key = std::env::var("ANTHROPIC_API_KEY");\n' },
      { language: 'shellscript', before: (k) => `curl -H "x-api-key: ${k}" https://api.anthropic.com\n`, after: 'curl -H "x-api-key: $ANTHROPIC_API_KEY" https://api.anthropic.com\n' },
      { language: 'shellscript', before: (k) => `curl -H 'x-api-key: ${k}' https://api.anthropic.com\n`, after: `curl -H 'x-api-key: '"$ANTHROPIC_API_KEY" https://api.anthropic.com\n` },
      { language: 'shellscript', before: (k) => `KEY=${k}\n`, after: 'KEY="$ANTHROPIC_API_KEY"\n' },
      { language: 'json', before: (k) => `{ "apiKey": "${k}" }\n`, after: '{ "apiKey": "" }\n' },
      { language: 'yaml', before: (k) => `anthropic:\n  api_key: ${k}\n`, after: 'anthropic:\n  api_key: \n' },
    ];
    for (const c of cases) {
      it(`${c.language}: ${c.after.trim().split('\n').pop()}`, async () => {
        const key = fakeKeys.apiKey();
        const doc = await untitledDocument(c.language, c.before(key));
        await vscode.window.showTextDocument(doc);
        const [d] = await diagnosticsCount(doc.uri, 1);
        const actions = await codeActions(doc.uri, d.range);
        const preferred = actions.filter((a) => a.isPreferred);
        assert.equal(preferred.length, 1);
        assert.match(preferred[0].title, /Move key to SecretStorage and read ANTHROPIC_API_KEY/);
        const outcome = (await run(preferred[0])) as MoveOutcome;
        assert.equal(outcome.outcome, 'moved');
        assert.equal(doc.getText(), c.after);
        assert.equal(await storedKey(api), key);
        assert.equal(outcome.storedAs, 'default');
        await diagnosticsCount(doc.uri, 0);
        assert.ok(!user.everythingShown().includes(key));
        // One undo step brings the literal back.
        await vscode.commands.executeCommand('undo');
        assert.equal(doc.getText(), c.before(key));
      });
    }

    it('shellscript: a quoted header and a bare assignment in one script both read $ANTHROPIC_API_KEY', async () => {
      const key = fakeKeys.apiKey();
      const doc = await untitledDocument('shellscript', `KEY=${key}\ncurl -H "x-api-key: ${key}" -H "content-type: application/json" https://api.anthropic.com\n`);
      for (const left of [1, 0]) {
        const [d] = await diagnosticsCount(doc.uri, left + 1);
        const [move] = (await codeActions(doc.uri, d.range)).filter((a) => a.isPreferred);
        assert.equal(((await run(move)) as MoveOutcome).outcome, 'moved');
      }
      await diagnosticsCount(doc.uri, 0);
      assert.equal(doc.getText(), 'KEY="$ANTHROPIC_API_KEY"\ncurl -H "x-api-key: $ANTHROPIC_API_KEY" -H "content-type: application/json" https://api.anthropic.com\n');
    });

    it('a .env file: removes the value and says where the key went; keeps an existing active key and stores this one under a new name', async () => {
      const existing = fakeKeys.apiKey();
      await storeDirectly(api, { default: existing });
      const key = fakeKeys.apiKey();
      const uri = await write('.env', `ANTHROPIC_API_KEY=${key}\nDEBUG=1\n`);
      const doc = await vscode.workspace.openTextDocument(uri);
      const [d] = await diagnosticsCount(doc.uri, 1);
      const [move] = (await codeActions(doc.uri, d.range)).filter((a) => a.isPreferred);
      const outcome = (await run(move)) as MoveOutcome;
      assert.equal(doc.getText(), 'ANTHROPIC_API_KEY=\nDEBUG=1\n');
      assert.equal(outcome.storedAs, 'from .env');
      const ring = await keyring(api);
      assert.equal(ring.active, 'default');
      assert.equal(ring.keys['from .env'], key);
      assert.match(user.messages[user.messages.length - 1].message, /Moved .* into SecretStorage \(key "from \.env"\)\. The value was removed from the file\./);
    });
  });

  describe('other quick fixes', () => {
    it('Ignore this occurrence adds a marker in the file\'s comment syntax, and the diagnostic goes', async () => {
      for (const [language, expected] of [
        ['python', '    # claude-keys:ignore-next-line'],
        ['typescript', '    // claude-keys:ignore-next-line'],
        ['markdown', '    <!-- claude-keys:ignore-next-line -->'],
      ] as const) {
        const key = fakeKeys.apiKey();
        const doc = await untitledDocument(language, `x\n    k = "${key}"\n`);
        const [d] = await diagnosticsCount(doc.uri, 1);
        const ignore = (await codeActions(doc.uri, d.range)).find((a) => a.title === 'Ignore this occurrence');
        assert.ok(ignore, `no ignore action for ${language}`);
        await run(ignore);
        assert.equal(doc.getText().split('\n')[1], expected);
        await diagnosticsCount(doc.uri, 0);
      }
      const json = await untitledDocument('json', `{"k": "${fakeKeys.apiKey()}"}`);
      const [d] = await diagnosticsCount(json.uri, 1);
      assert.ok(!(await codeActions(json.uri, d.range)).some((a) => a.title === 'Ignore this occurrence'), 'JSON has no comments');
    });

    it('Check if this key is live: live, revoked and unknown, worded as the CLI\'s --verify, and only on demand', async () => {
      const live = fakeKeys.apiKey();
      const revoked = fakeKeys.apiKey();
      const unknown = fakeKeys.apiKey();
      fake.addApiKey(live);
      fake.addApiKey(unknown);
      const doc = await untitledDocument('python', `a = "${live}"\nb = "${revoked}"\nc = "${unknown}"\n`);
      const found = await diagnosticsCount(doc.uri, 3);
      assert.equal(fake.requests.length, 0, 'a key was sent to the API without being asked');
      const outcomes: string[] = [];
      for (const d of found.sort((x, y) => x.range.start.line - y.range.start.line)) {
        const check = (await codeActions(doc.uri, d.range)).find((a) => a.title === 'Check if this key is live');
        assert.ok(check);
        if (d.range.start.line === 2) {
          // The API fails once: a 500 says nothing about the key (and the check does not retry).
          fake.enqueueFault('models', { kind: 'status', status: 500 });
        }
        outcomes.push(((await run(check)) as LiveCheckOutcome).outcome);
      }
      assert.deepEqual(outcomes, ['live', 'revoked', 'unknown']);
      const told = user.messages.filter((m) => !m.options.modal);
      assert.equal(told[0].message, `${maskKey(live)}: live. Anyone who can read this file can use it: move it out of the file and rotate it now.`);
      assert.equal(told[1].message, `${maskKey(revoked)}: revoked (HTTP 401). The API rejects it; remove it from the file anyway.`);
      assert.equal(told[2].message, `${maskKey(unknown)}: unknown: HTTP 500. Could not tell whether the key works; treat it as live.`);
      assert.equal(fake.requests.filter((r) => r.route === 'models').length, 3, 'one request per check, no retries');
    });

    it('in a git repository: a .env not ignored offers Add to .gitignore; a tracked file says the key leaked and offers Rotate', async function () {
      const repo = await gitRepository(scratch, this);
      const key = fakeKeys.apiKey();
      const envFile = vscode.Uri.joinPath(repo, '.env');
      await vscode.workspace.fs.writeFile(envFile, new TextEncoder().encode(`ANTHROPIC_API_KEY=${key}\n`));
      const envDoc = await vscode.workspace.openTextDocument(envFile);
      const [envDiagnostic] = await diagnosticsCount(envDoc.uri, 1);
      const addIgnore = (await codeActions(envDoc.uri, envDiagnostic.range)).find((a) => a.title === 'Add .env to .gitignore');
      assert.ok(addIgnore, 'no Add to .gitignore action');
      await run(addIgnore);
      // The edit opens .gitignore with the new line, for the user to see and save.
      const gitignore = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(repo, '.gitignore'));
      assert.equal(gitignore.getText(), '/.env\n');
      assert.ok(await gitignore.save());
      assert.ok(!(await codeActions(envDoc.uri, envDiagnostic.range)).some((a) => a.title.startsWith('Add')), 'still offered once ignored');

      await storeDirectly(api, { default: key });
      const tracked = vscode.Uri.joinPath(repo, 'app.py');
      await vscode.workspace.fs.writeFile(tracked, new TextEncoder().encode(`KEY = "${key}"\n`));
      execFileSync('git', ['add', 'app.py'], { cwd: repo.fsPath });
      const doc = await vscode.workspace.openTextDocument(tracked);
      const [d] = await diagnosticsCount(doc.uri, 1);
      assert.match(d.message, /tracked by git, so the key is in its history: treat it as leaked and rotate it/);
      assert.ok((await codeActions(doc.uri, d.range)).some((a) => a.title === 'Rotate this key (it is in git history)'));
      // Rotate API Key replaces the active key: not offered when the key in the file is another one.
      await storeDirectly(api, { default: key, other: fakeKeys.apiKey() }, 'other');
      await until(async () => ((await codeActions(doc.uri, d.range)).some((a) => a.title.startsWith('Rotate')) ? undefined : true), 'Rotate withdrawn');
    });

    it('runs git with the repository\'s own core.fsmonitor switched off: a planted hook never runs, the file still shows as tracked', async function () {
      const repo = vscode.Uri.joinPath(scratch, 'hooked-repo');
      await vscode.workspace.fs.createDirectory(repo);
      const file = vscode.Uri.joinPath(repo, 'app.py');
      const key = fakeKeys.apiKey();
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(`KEY = "${key}"\n`));
      try {
        execFileSync('git', ['init', '-q'], { cwd: repo.fsPath });
        execFileSync('git', ['add', 'app.py'], { cwd: repo.fsPath });
      } catch {
        this.skip();
      }
      const marker = vscode.Uri.joinPath(scratch, 'fsmonitor-ran');
      const hook = vscode.Uri.joinPath(scratch, 'fsmonitor-hook.sh');
      await vscode.workspace.fs.writeFile(hook, new TextEncoder().encode(`#!/bin/sh\necho ran >> "${marker.fsPath}"\n`));
      execFileSync('chmod', ['+x', hook.fsPath]);
      // Proof that the trap works: plain git runs the repository's hook.
      execFileSync('git', ['config', 'core.fsmonitor', hook.fsPath], { cwd: repo.fsPath });
      execFileSync('git', ['ls-files', '--error-unmatch', '--', 'app.py'], { cwd: repo.fsPath });
      assert.ok(await exists(marker), 'the planted fsmonitor hook did not run for plain git: the test proves nothing');
      await vscode.workspace.fs.delete(marker);

      assert.equal(vscode.workspace.isTrusted, true);
      const doc = await vscode.workspace.openTextDocument(file);
      const [d] = await diagnosticsCount(doc.uri, 1);
      assert.match(d.message, /tracked by git/);
      await codeActions(doc.uri, d.range);
      await settle(300);
      assert.equal(await exists(marker), false, 'the repository\'s fsmonitor hook ran');
    });
  });

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

