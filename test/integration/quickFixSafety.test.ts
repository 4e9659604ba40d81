import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import { Commands, SecretKeys } from '../../src/constants';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { diagnosticsCount, keyring, ourDiagnostics, settle, storeDirectly, until, untitledDocument, waitForStatusBar } from './helpers';
import { gitRepository, hostSuite } from './hostSuite';
import type { RecordedMessage, ScriptedInteraction } from './scriptedInteraction';

/** What the hidden commands return (loosely typed: these tests also ran against the code before the fix). */
interface Outcome {
  readonly outcome: string;
  readonly storedAs?: string;
  readonly copies?: { localHistory: boolean; gitHistory: boolean; otherFiles: string[] };
}

const maskedApi = (key: string): string => `sk-ant-api03-…${key.slice(-4)}`;
const OURS = /^(Move |Remove this|Ignore this occurrence|Add .* to \.gitignore|Check if this key is live|Rotate this key)/;

async function lightBulb(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range)) ?? [];
  return actions.filter((a) => OURS.test(a.title));
}

async function run(action: vscode.CodeAction): Promise<Outcome> {
  assert.ok(action.command, `${action.title} runs no command`);
  return (await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []))) as Outcome;
}

const modalAnswer =
  (label: string) =>
  (m: RecordedMessage): string | undefined =>
    m.options.modal && m.actions.includes(label) ? label : undefined;

describe('Quick fixes in a hostile workspace', () => {
  let api: ClaudeKeysTestApi;
  let user: ScriptedInteraction;
  let fake: FakeAnthropicApi;
  let folder: vscode.Uri;
  let scratch: vscode.Uri;

  hostSuite((h) => ({ api, user, fake, folder, scratch } = h), { scratch: 'quickfix-scratch', closeEditorsAfterEach: true });

  afterEach(() => {
    api.diagnostics.collection.clear();
  });

  const write = async (relative: string, text: string): Promise<vscode.Uri> => {
    const uri = vscode.Uri.joinPath(scratch, relative);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    return uri;
  };
  const onDisk = async (uri: vscode.Uri): Promise<string> => new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  const nothingStored = async (): Promise<void> => {
    // Booleans only: a failure must not print the stored key.
    assert.equal((await api.secrets.get(SecretKeys.keyring)) === undefined, true, 'a key was stored in the keyring');
    assert.equal((await api.secrets.get(SecretKeys.adminKey)) === undefined, true, 'an Admin key was stored');
  };

  describe('no fix runs without a click', () => {
    it("a repository's editor.codeActionsOnSave {quickfix: explicit}: edit + save stores nothing, calls nothing, and changes only the edit", async () => {
      const settingsFile = vscode.Uri.joinPath(folder, '.vscode', 'settings.json');
      await vscode.workspace.fs.writeFile(settingsFile, new TextEncoder().encode(JSON.stringify({ 'editor.codeActionsOnSave': { quickfix: 'explicit' } })));
      try {
        await until(() => (vscode.workspace.getConfiguration('editor').get<Record<string, string>>('codeActionsOnSave')?.quickfix === 'explicit' ? true : undefined), 'the workspace setting');
        const key = fakeKeys.apiKey();
        fake.addApiKey(key);
        const original = `import anthropic\nclient = anthropic.Anthropic(api_key="${key}")\n`;
        const file = await write('planted.py', original);
        const doc = await vscode.workspace.openTextDocument(file);
        const editor = await vscode.window.showTextDocument(doc);
        await diagnosticsCount(doc.uri, 1);
        assert.ok(await editor.edit((e) => e.insert(new vscode.Position(2, 0), 'print("hi")\n')));
        await vscode.commands.executeCommand('workbench.action.files.save');
        await until(() => (doc.isDirty ? undefined : true), 'the save');
        await settle(500);

        await nothingStored();
        assert.equal(await onDisk(file), original + 'print("hi")\n', 'the file was changed beyond the edit');
        assert.ok(!doc.getText().includes('claude-keys:ignore'), 'an ignore marker was added');
        assert.equal(fake.requests.length, 0, 'the API was called');
        assert.deepEqual(user.messages, [], 'the user was asked or told something on save');
        assert.equal(ourDiagnostics(doc.uri).length, 1, 'the finding is still reported');
      } finally {
        await vscode.workspace.fs.delete(settingsFile);
      }
    });

    it('the provider offers nothing to an automatic request with a kind filter (on save), and everything to the light bulb and Ctrl+.', async () => {
      const key = fakeKeys.apiKey();
      const doc = await untitledDocument('python', `KEY = "${key}"\n`);
      const [d] = await diagnosticsCount(doc.uri, 1);
      const titles = async (triggerKind: vscode.CodeActionTriggerKind, only: vscode.CodeActionKind | undefined): Promise<string[]> => {
        const actions = (await api.quickFixes.provideCodeActions(doc, d.range, { triggerKind, only, diagnostics: [d] })) ?? [];
        return actions.map((a) => a.title).sort();
      };
      const all = ['Check if this key is live', 'Ignore this occurrence', 'Move key to SecretStorage and read ANTHROPIC_API_KEY'];
      // The light bulb: VS Code asks with Automatic and no kind, and runs an action only when clicked.
      assert.deepEqual(await titles(vscode.CodeActionTriggerKind.Automatic, undefined), all);
      // Code actions on save: Automatic with the configured kind, and every action returned is applied.
      assert.deepEqual(await titles(vscode.CodeActionTriggerKind.Automatic, vscode.CodeActionKind.QuickFix), []);
      assert.deepEqual(await titles(vscode.CodeActionTriggerKind.Automatic, vscode.CodeActionKind.Empty), []);
      // Ctrl+. and the hover's Quick Fix: Invoke, with or without the quickfix kind.
      assert.deepEqual(await titles(vscode.CodeActionTriggerKind.Invoke, undefined), all);
      assert.deepEqual(await titles(vscode.CodeActionTriggerKind.Invoke, vscode.CodeActionKind.QuickFix), all);
      assert.deepEqual(await titles(vscode.CodeActionTriggerKind.Invoke, vscode.CodeActionKind.Refactor), []);
      // Through VS Code's own command (an Invoke request) the light bulb's actions are all there.
      assert.deepEqual((await lightBulb(doc.uri, d.range)).map((a) => a.title).sort(), all);
    });
  });

  describe('the hidden commands check their arguments and ask first', () => {
    it('forged arguments do nothing: no arguments, wrong types, a closed file, a line out of range, a position without a key', async () => {
      const key = fakeKeys.apiKey();
      fake.addApiKey(key);
      const closedText = `KEY = "${key}"\n`;
      const closed = await write('closed.py', closedText);
      const open = await write('open.py', `x = 1\nKEY = "${key}"\n`);
      const doc = await vscode.workspace.openTextDocument(open);
      await diagnosticsCount(doc.uri, 1);
      const forged: unknown[][] = [[], ['not a uri', 'x', -1], [{ toString: () => open.toString() }, 1, 7], [closed.toString(), 0, 7], [open.toString(), 99, 0], [open.toString(), 0, 0], [open.toString(), 1.5, 7]];
      for (const command of [Commands.moveDetectedKey, Commands.checkDetectedKey]) {
        for (const args of forged) {
          const result = await Promise.resolve(vscode.commands.executeCommand<Outcome>(command, ...args)).then(
            (r) => r?.outcome,
            (e: unknown) => `threw ${String(e)}`,
          );
          assert.ok(result === 'invalid' || result === 'notFound', `${command} ${JSON.stringify(args)} → ${result}`);
        }
      }
      await nothingStored();
      assert.equal(await onDisk(closed), closedText);
      assert.equal(doc.getText(), `x = 1\nKEY = "${key}"\n`);
      assert.equal(fake.requests.length, 0, 'a forged check called the API');
      assert.ok(user.messages.every((m) => !m.options.modal), 'a forged call asked the user');
      assert.ok(vscode.workspace.textDocuments.every((d) => d.uri.toString() !== closed.toString()), 'a forged call opened a closed file');
    });

    it('real arguments: a modal names the masked key, the file and (for a check) the host; No stores nothing, sends nothing, changes nothing', async () => {
      const key = fakeKeys.apiKey();
      fake.addApiKey(key);
      const text = `KEY = "${key}"\n`;
      const file = await write('asked.py', text);
      const doc = await vscode.workspace.openTextDocument(file);
      const [d] = await diagnosticsCount(doc.uri, 1);
      const actions = await lightBulb(doc.uri, d.range);
      const move = actions.find((a) => a.isPreferred);
      const check = actions.find((a) => a.title === 'Check if this key is live');
      assert.ok(move && check);
      assert.equal((await run(move)).outcome, 'declined');
      assert.equal((await run(check)).outcome, 'declined');
      await nothingStored();
      assert.equal(doc.getText(), text);
      assert.equal(fake.requests.length, 0);
      const [askMove, askCheck] = user.messages;
      assert.equal(user.messages.length, 2);
      assert.ok(askMove.options.modal && askCheck.options.modal);
      assert.equal(askMove.message, `Move the Claude API key ${maskedApi(key)} from quickfix-scratch/asked.py into SecretStorage?`);
      assert.deepEqual(askMove.actions, ['Move Key', 'Remove from File Only']);
      assert.match(askMove.options.detail ?? '', /becomes your active key, named "default"/);
      assert.equal(askCheck.message, `Send the key ${maskedApi(key)} from quickfix-scratch/asked.py to ${new URL(fake.url).host} to check whether it works?`);
      assert.ok(!user.everythingShown().includes(key));

      // Yes to the check: one call, with this key, to the configured host.
      user.answerMessage = modalAnswer('Check Key');
      assert.equal((await run(check)).outcome, 'live');
      assert.equal(fake.requests.filter((r) => r.apiKey === key).length, 1);
    });
  });

  describe('Move to SecretStorage by kind of credential', () => {
    it('an Admin key goes to the Admin key slot after asking, never into the API keys', async () => {
      const admin = fakeKeys.adminKey();
      const doc = await untitledDocument('typescript', `const admin = "${admin}";\n`);
      const [d] = await diagnosticsCount(doc.uri, 1);
      const move = (await lightBulb(doc.uri, d.range)).find((a) => a.isPreferred);
      assert.ok(move);
      user.answerMessage = modalAnswer('Store Admin Key');
      const outcome = await run(move);
      assert.equal((await keyring(api)).active, undefined, 'the Admin key became an API key');
      assert.deepEqual((await keyring(api)).keys, {});
      assert.ok((await api.secrets.get(SecretKeys.adminKey)) === admin, 'the Admin key is not in the Admin slot');
      assert.equal(outcome.outcome, 'moved');
      assert.equal(move.title, 'Move Admin key to SecretStorage (Admin key) and remove it from the file');
      assert.equal(doc.getText(), 'const admin = "";\n');
      assert.match(user.messages[0].message, /^Store the Admin API key sk-ant-admin01-…\S{4} from .* as your Admin key\?$/);
      assert.match(user.messages[user.messages.length - 1].message, /^Stored sk-ant-admin01-…\S{4} as your Admin key\. The value was removed from the file\./);
      assert.ok(!user.everythingShown().includes(admin));
    });

    it('an Admin key: "Remove from File Only" stores nothing', async () => {
      const doc = await untitledDocument('python', `ADMIN = "${fakeKeys.adminKey()}"\n`);
      const [d] = await diagnosticsCount(doc.uri, 1);
      user.answerMessage = modalAnswer('Remove from File Only');
      const outcome = await run((await lightBulb(doc.uri, d.range)).find((a) => a.isPreferred) as vscode.CodeAction);
      await nothingStored();
      assert.equal(outcome.outcome, 'removed');
      assert.equal(doc.getText(), 'ADMIN = ""\n');
    });

    for (const [kind, make, advice] of [
      ['Claude Code OAuth access token', fakeKeys.oauthAccessToken, /run \/logout in Claude Code and log in again/],
      ['Claude Code OAuth refresh token', fakeKeys.oauthRefreshToken, /run \/logout in Claude Code and log in again/],
      ['claude.ai session key', fakeKeys.sessionKey, /sign out of claude\.ai on all your devices/],
    ] as const) {
      it(`a ${kind} is never stored: the fix removes it from the file and says what to do instead`, async () => {
        const token = make();
        const doc = await untitledDocument('javascript', `const token = '${token}';\n`);
        const [d] = await diagnosticsCount(doc.uri, 1);
        const actions = await lightBulb(doc.uri, d.range);
        const move = actions.find((a) => a.isPreferred);
        assert.ok(move);
        user.answerMessage = modalAnswer('Remove from File');
        const outcome = await run(move);
        await nothingStored();
        assert.equal(outcome.outcome, 'removed');
        assert.equal(doc.getText(), "const token = '';\n");
        assert.equal(move.title, `Remove this ${kind} from the file (it is never stored)`);
        assert.ok(!actions.some((a) => a.title === 'Check if this key is live'), 'a token is offered a live check');
        assert.match(user.messages[0].options.detail ?? '', advice);
        const told = user.messages[user.messages.length - 1].message;
        assert.match(told, /Claude Keys did not store it/);
        assert.match(told, advice);
        assert.ok(!user.everythingShown().includes(token));
      });
    }
  });

  describe('copies left behind', () => {
    it('VS Code has the Local History and Timeline commands the message offers', async () => {
      const commands = await vscode.commands.getCommands(true);
      for (const id of ['workbench.action.localHistory.deleteAll', 'timeline.focus']) {
        assert.ok(commands.includes(id), `${id} is not a command in VS Code ${vscode.version}`);
      }
    });

    it('after Move to SecretStorage in a saved, git-tracked file: one message lists Local History, git history and the other file, with a step for each', async function () {
      const repo = await gitRepository(scratch, this);
      const key = fakeKeys.apiKey();
      const file = vscode.Uri.joinPath(repo, 'app.py');
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(`KEY = "${key}"\n`));
      execFileSync('git', ['add', 'app.py'], { cwd: repo.fsPath });
      const other = await write('other.env', `ANTHROPIC_API_KEY=${key}\n`);
      await diagnosticsCount((await vscode.workspace.openTextDocument(other)).uri, 1);
      const doc = await vscode.workspace.openTextDocument(file);
      const [d] = await diagnosticsCount(doc.uri, 1);
      user.answerMessage = (m) => (m.options.modal ? modalAnswer('Move Key')(m) : m.actions.find((a) => a.startsWith('Delete Local History')));
      const outcome = await run((await lightBulb(doc.uri, d.range)).find((a) => a.isPreferred) as vscode.CodeAction);
      assert.equal(outcome.outcome, 'moved');
      await settle();
      const told = user.messages.filter((m) => !m.options.modal);
      assert.equal(told.length, 1, JSON.stringify(told));
      assert.equal(told[0].severity, 'warning');
      assert.match(told[0].message, /^Moved sk-ant-api03-…\S{4} into SecretStorage \(key "default"\)\./);
      assert.match(told[0].message, /Local History may keep earlier saved versions of quickfix-scratch\/repo\/app\.py/);
      assert.match(told[0].message, /app\.py is tracked by git, so the key is in its history/);
      assert.match(told[0].message, /1 other file\(s\) hold the same key: quickfix-scratch\/other\.env/);
      assert.deepEqual(told[0].actions, ['Delete Local History…', 'Rotate Key', 'Show Other Files']);
      assert.deepEqual(outcome.copies, { localHistory: true, gitHistory: true, otherFiles: [other.toString()] });
      // The Local History step offers the Timeline (entry by entry) or VS Code's Delete All.
      assert.deepEqual(user.quickPicks, [['Show this file in the Timeline view', 'Delete all Local History']]);
      assert.ok(!user.everythingShown().includes(key));
    });

    it('an untitled document has no Local History or git history: the message says only what happened', async () => {
      const doc = await untitledDocument('python', `KEY = "${fakeKeys.apiKey()}"\n`);
      const [d] = await diagnosticsCount(doc.uri, 1);
      user.answerMessage = modalAnswer('Move Key');
      const outcome = await run((await lightBulb(doc.uri, d.range)).find((a) => a.isPreferred) as vscode.CodeAction);
      assert.deepEqual(outcome.copies, { localHistory: false, gitHistory: false, otherFiles: [] });
      const told = user.messages.filter((m) => !m.options.modal);
      assert.equal(told.length, 1);
      assert.doesNotMatch(told[0].message, /Copies may remain/);
      assert.deepEqual(told[0].actions, ['Scan Workspace']);
    });
  });

  describe('Report Leaked Key with named keys', () => {
    it('no other key becomes active mid-flow; the replacement becomes the active key under the old name, as the message says', async () => {
      const work = fakeKeys.apiKey();
      const personal = fakeKeys.apiKey();
      const replacement = fakeKeys.apiKey();
      fake.addApiKey(replacement);
      await storeDirectly(api, { work, personal }, 'work');
      let midFlow: Promise<unknown> | undefined;
      user.answerMessage = (m) => {
        if (m.actions.includes('Remove and Replace It')) {
          return 'Remove and Replace It';
        }
        if (m.actions.includes('I Have a New Key')) {
          // The leaked key is gone now and the replacement not yet stored.
          midFlow = Promise.all([keyring(api), api.refreshStatusBar()]);
          return 'I Have a New Key';
        }
        return undefined;
      };
      user.type(replacement);
      const outcome = (await vscode.commands.executeCommand(Commands.reportLeakedKey)) as { outcome: string; rotation: { outcome: string } };
      assert.equal(outcome.rotation.outcome, 'rotated');
      assert.ok(midFlow, 'the rotation did not start');
      const [during, bar] = (await midFlow) as [Awaited<ReturnType<typeof keyring>>, { text: string }];
      assert.equal(during.active, undefined, `"${during.active}" became active while the leaked key was being replaced`);
      assert.deepEqual(Object.keys(during.keys), ['personal']);
      assert.doesNotMatch(bar.text, /personal/);
      const after = await keyring(api);
      assert.equal(after.active, 'work');
      assert.ok(after.keys.work === replacement && after.keys.personal === personal && Object.keys(after.keys).length === 2, 'the keys are not the replacement and "personal"');
      assert.ok(user.messages.some((m) => m.message.startsWith(`Rotated: ${maskedApi(replacement)} is now your key.`)));
      await waitForStatusBar(api, (s) => s.text.includes('(work)'));
    });

    it('when no replacement is set, no key is active and the user is told how to pick one', async () => {
      const work = fakeKeys.apiKey();
      const personal = fakeKeys.apiKey();
      await storeDirectly(api, { work, personal }, 'work');
      user.answerMessage = (m) => (m.actions.includes('Remove and Replace It') ? 'Remove and Replace It' : undefined);
      const outcome = (await vscode.commands.executeCommand(Commands.reportLeakedKey)) as { rotation: { outcome: string } };
      assert.equal(outcome.rotation.outcome, 'cancelled');
      const after = await keyring(api);
      assert.equal(after.active, undefined);
      assert.deepEqual(Object.keys(after.keys), ['personal']);
      const told = user.messages.find((m) => m.message.startsWith('No Claude API key is active'));
      assert.ok(told, JSON.stringify(user.messages.map((m) => m.message)));
      assert.deepEqual(told.actions, ['Switch Active Key', 'Set API Key']);
      assert.match(user.messages[0].options.detail ?? '', /no key is active: your other keys stay stored but unused/);
      const bar = await waitForStatusBar(api, (st) => st.state === 'none');
      assert.match(bar.tooltip, /No Claude API key is active \(1 stored\)/);
      // Set API Key then adds a key without overwriting "personal", and it becomes active.
      const fresh = fakeKeys.apiKey();
      user.type(fresh);
      await vscode.commands.executeCommand(Commands.setApiKey);
      const later = await keyring(api);
      assert.equal(later.keys.personal, personal);
      assert.equal(later.keys[later.active ?? ''], fresh);
    });
  });
});
