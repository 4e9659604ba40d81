import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { MoveOutcome, LiveCheckOutcome } from '../../src/detection/detectedKeyCommands';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { maskKey } from '../../src/core/mask';
import { fakeKeys } from '../fakes/keys';
import { diagnosticsCount, keyring, settle, storeDirectly, storedKey, until, untitledDocument } from './helpers';
import { detectionSuite } from './detectionSuite';
import { gitRepository } from './hostSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

const OUR_TITLES = /^(Move key to SecretStorage|Ignore this occurrence|Add .* to \.gitignore|Check if this key is live|Rotate this key)/;

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

/** The quick fixes on a hard-coded key, in files and in git repositories. */
describe('Hard-coded key detection in the editor', () => {
  let api: ClaudeKeysTestApi;
  let user: ScriptedInteraction;
  let fake: FakeAnthropicApi;
  let scratch: vscode.Uri;

  const write = detectionSuite((h) => ({ api, user, fake, scratch } = h));

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
});
