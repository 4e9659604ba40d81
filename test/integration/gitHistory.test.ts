import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, HISTORY_SCHEME } from '../../src/constants';
import { maskKey } from '../../src/core/mask';
import type { HistoryNode } from '../../src/history/historyTree';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import { fakeKeys } from '../fakes/keys';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { diagnosticsCount, storeDirectly, until, untitledDocument } from './helpers';
import { hostSuite } from './hostSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

/**
 * Scan Git History in the real host: a real git repository made here inside the (trusted) test
 * workspace, a key committed and then removed, the findings in the tree view, the old file opened
 * read-only at the key, Rotate / Report Leaked Key on the key node, and Cancel.
 */
describe('Scan Git History: tree view of keys in the git history', function () {
  this.timeout(60_000);
  let api: ClaudeKeysTestApi;
  let user: ScriptedInteraction;
  let repo: string;
  let key: string;
  let added: string;
  let fake: FakeAnthropicApi;
  let folder: vscode.Uri;
  hostSuite((h) => ({ api, user, fake, folder } = h));

  function git(...args: string[]): string {
    const identity = ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgSign=false', '-c', 'init.defaultBranch=main'];
    return execFileSync('git', [...identity, ...args], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  function commit(file: string, content: string, message: string): string {
    fs.writeFileSync(path.join(repo, file), content);
    git('add', '-A');
    git('commit', '-q', '-m', message);
    return git('rev-parse', 'HEAD').trim();
  }

  const scan = async (): Promise<{ outcome: string; keys?: number }> =>
    (await vscode.commands.executeCommand(Commands.scanGitHistory, vscode.Uri.file(repo))) as { outcome: string; keys?: number };

  before(() => {
    repo = fs.realpathSync(fs.mkdtempSync(path.join(folder.fsPath, 'history-repo-')));
    git('init', '-q');
    key = fakeKeys.apiKey();
    commit('README.md', '# demo\n', 'readme');
    added = commit('config.ts', `// settings\nconst apiKey = "${key}";\n`, 'add config');
    commit('config.ts', '// settings\nconst apiKey = process.env.ANTHROPIC_API_KEY;\n', 'read the key from the environment');
  });

  after(() => {
    fs.rmSync(repo, { recursive: true, force: true });
  });

  function keyNode(): HistoryNode {
    const [node, ...rest] = api.historyTree.getChildren();
    assert.equal(rest.length, 0, 'one key');
    return node;
  }

  it('shows the removed key (masked) → the commit that added it → path:line:column, and never the key', async () => {
    const outcome = await scan();
    assert.deepEqual(outcome, { outcome: 'done', keys: 1, findings: 1, commits: 3 });
    assert.ok(user.progressTitles.some((t) => /git history/.test(t)), 'no progress shown');

    const node = keyNode();
    const item = api.historyTree.getTreeItem(node);
    assert.equal(item.label, maskKey(key));
    assert.match(String(item.description), /only in history/);
    assert.equal(item.contextValue, 'claudeKeys.historyKey');

    const commits = api.historyTree.getChildren(node);
    assert.equal(commits.length, 1);
    const commitItem = api.historyTree.getTreeItem(commits[0]);
    assert.equal(commitItem.label, added.slice(0, 12));

    const locations = api.historyTree.getChildren(commits[0]);
    assert.equal(locations.length, 1);
    const locationItem = api.historyTree.getTreeItem(locations[0]);
    assert.equal(locationItem.label, 'config.ts:2:17');

    const everything = JSON.stringify([node, commits, locations].flat().map((n) => api.historyTree.getTreeItem(n)));
    assert.ok(!everything.includes(key), 'a tree item holds the key');
    assert.ok(!user.everythingShown().includes(key), 'the user was shown the key');
    assert.ok(!api.logLines().join('\n').includes(key), 'the key was logged');
    assert.ok(user.messages.some((m) => /1 Claude keys in the git history/.test(m.message)), JSON.stringify(user.messages));
  });

  it('clicking the path opens that commit\'s file read-only at the key, and writes nothing to the repository', async () => {
    await scan();
    const [commitNode] = api.historyTree.getChildren(keyNode());
    const [location] = api.historyTree.getChildren(commitNode);
    const command = api.historyTree.getTreeItem(location).command;
    assert.ok(command, 'the path node has no command');
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const editor = await until(() => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.scheme === HISTORY_SCHEME ? active : undefined;
    }, 'the file as it was in the commit did not open');
    assert.equal(editor.document.lineAt(1).text, `const apiKey = "${key}";`);
    assert.deepEqual([editor.selection.active.line, editor.selection.active.character], [1, 16]);
    // A virtual document: an edit cannot be saved anywhere, and the working tree is unchanged.
    assert.equal(editor.document.uri.scheme, HISTORY_SCHEME);
    assert.equal(git('status', '--porcelain'), '');
    assert.ok(!fs.readFileSync(path.join(repo, 'config.ts'), 'utf8').includes(key));
  });

  it('in the read-only file of a past commit the key gets only the fixes that edit nothing, and Move refuses there', async () => {
    const admin = fakeKeys.adminKey();
    fake.addAdminKey(admin);
    await api.services.store.setAdminKey(admin);
    await scan();
    const [commitNode] = api.historyTree.getChildren(keyNode());
    const [location] = api.historyTree.getChildren(commitNode);
    const command = api.historyTree.getTreeItem(location).command;
    assert.ok(command);
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const doc = (await until(() => vscode.workspace.textDocuments.find((d) => d.uri.scheme === HISTORY_SCHEME && !d.isClosed), 'the past file did not open'));
    await diagnosticsCount(doc.uri, 1);
    const titlesAt = async (uri: vscode.Uri): Promise<vscode.CodeAction[]> =>
      ((await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(1, 20, 1, 20))) ?? []).filter((a) =>
        /^(Move |Remove this|Ignore this occurrence|Add .* to \.gitignore|Check if this key is live|Rotate this key|Deactivate this key)/.test(a.title),
      );

    const readOnly = await titlesAt(doc.uri);
    assert.deepEqual(readOnly.map((a) => a.title).sort(), ['Check if this key is live', 'Deactivate this key in the organisation']);
    assert.ok(readOnly.every((a) => a.edit === undefined), 'a fix edits the read-only document');
    // The same text in an editable document gets the editing fixes too: the difference is the document, not the key.
    const editable = await untitledDocument('typescript', doc.getText());
    await diagnosticsCount(editable.uri, 1);
    const titles = (await titlesAt(editable.uri)).map((a) => a.title);
    assert.ok(titles.some((t) => t.startsWith('Move key to SecretStorage')) && titles.includes('Ignore this occurrence'), JSON.stringify(titles));

    // A command link can still ask for the move: it refuses, and nothing is stored or changed.
    assert.deepEqual(await vscode.commands.executeCommand(Commands.moveDetectedKey, doc.uri.toString(), 1, 16), { outcome: 'invalid' });
    assert.ok(user.messages.some((m) => /read-only document/.test(m.message)), JSON.stringify(user.messages));
    assert.ok(doc.lineAt(1).text.includes(key));
    assert.equal(await api.services.store.getApiKey(), undefined);
    assert.equal(fake.requests.length, 0, 'the light bulb or the refused move called the API');

    // Deactivate works from here too; with nothing to edit, the move is not offered afterwards.
    const record = fake.addApiKey(key, { name: 'committed' });
    user.answerMessage = (m) => (m.actions.includes('Deactivate Key') ? 'Deactivate Key' : undefined);
    const deactivate = readOnly.find((a) => a.title === 'Deactivate this key in the organisation')?.command;
    assert.ok(deactivate);
    assert.deepEqual(await vscode.commands.executeCommand(deactivate.command, ...(deactivate.arguments ?? [])), { outcome: 'deactivated' });
    assert.equal(record.status, 'inactive');
    const done = user.messages[user.messages.length - 1];
    assert.equal(done.message, `Deactivated "committed" (${maskKey(key)}).`);
    assert.deepEqual(done.actions, []);
  });

  it('Rotate on a key that is not stored explains instead; on a stored key it starts the rotation of that key', async () => {
    await scan();
    const node = keyNode();
    assert.equal(await vscode.commands.executeCommand(Commands.rotateHistoryKey, node), 'notStored');
    const explained = user.messages.find((m) => m.message.includes(maskKey(key)));
    assert.ok(explained && /not one of your stored API keys/.test(explained.message), JSON.stringify(user.messages));
    assert.ok(explained.actions.includes('Open Console'));

    await storeDirectly(api, { work: fakeKeys.apiKey(), leaked: key }, 'work');
    user.messages.length = 0;
    assert.equal(await vscode.commands.executeCommand(Commands.rotateHistoryKey, node), 'cancelled');
    assert.ok(
      user.messages.some((m) => m.options.modal && m.message.includes(`Rotate the Claude API key ${maskKey(key)}`)),
      JSON.stringify(user.messages),
    );
  });

  it('Report Leaked Key on a stored key that is not the active one treats that key as leaked', async () => {
    await scan();
    await storeDirectly(api, { work: fakeKeys.apiKey(), leaked: key }, 'work');
    assert.equal(await vscode.commands.executeCommand(Commands.reportHistoryKey, keyNode()), 'cancelled');
    assert.ok(
      user.messages.some((m) => m.options.modal && m.message.includes(`Treat the key "leaked" (${maskKey(key)}) as leaked?`)),
      JSON.stringify(user.messages),
    );
  });

  it('Cancel stops the scan and keeps no results', async () => {
    api.historyTree.clear();
    user.cancelProgress = true;
    const outcome = await scan();
    assert.equal(outcome.outcome, 'cancelled');
    assert.deepEqual(api.historyTree.getChildren(), []);
  });
});
