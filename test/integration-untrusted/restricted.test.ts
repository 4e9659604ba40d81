import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { API_KEY_ENV_VAR, Commands, DiagnosticCodes, SecretKeys, Settings } from '../../src/constants';
import { detectCredentials, keyedFinding } from '../../src/core/detector';
import type { MigrationOutcome } from '../../src/keys/settingsMigration';
import type { QuickPromptOutcome } from '../../src/prompt/promptCommands';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { CountTokensOutcome } from '../../src/tokens/countTokensCommand';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { activateExtension, everythingPersisted, fakeApi, keyring, ourDiagnostics, resetState, settle, storeDirectly, until } from '../integration/helpers';
import { ScriptedInteraction } from '../integration/scriptedInteraction';

const ATTACKER = process.env.CLAUDE_KEYS_ATTACKER_URL ?? '';
const MARKER = process.env.CLAUDE_KEYS_HOSTILE_MARKER ?? '';

function folder(): vscode.Uri {
  const uri = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(uri, 'no workspace folder');
  return uri;
}

/** What the loopback attacker received so far (the report request itself is not counted). */
async function attackerReceived(): Promise<string[]> {
  const response = await fetch(`${ATTACKER}/__attacker/requests`);
  return (await response.json()) as string[];
}

function hookRan(): boolean {
  return fs.existsSync(MARKER);
}

/** Every key the hostile repository holds: in its files and in its settings. */
function plantedKeys(): string[] {
  return ['app.ts', '.env', '.vscode/settings.json'].flatMap((f) => {
    const text = fs.readFileSync(vscode.Uri.joinPath(folder(), f).fsPath, 'utf8');
    return detectCredentials(text).map((found) => text.slice(found.start, found.end));
  });
}

describe('Restricted Mode: workspace trust on, a hostile repository that is not trusted', () => {
  let api: ClaudeKeysTestApi;
  let user: ScriptedInteraction;

  before(async () => {
    assert.ok(ATTACKER && MARKER, 'run through the harness (npm run test:restricted)');
    api = await activateExtension();
  });

  beforeEach(() => {
    user = new ScriptedInteraction();
    api.setInteraction(user);
  });

  afterEach(() => api.setInteraction(undefined));

  /** Clean SecretStorage and state; resetState() restores the window UI, so the script goes back in. */
  async function fresh(): Promise<void> {
    await resetState(api);
    api.setInteraction(user);
  }

  it('runs in an untrusted workspace (Restricted Mode), with the extension active', () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace is trusted: this suite would prove nothing');
    assert.ok(vscode.extensions.all.some((e) => e.id.toLowerCase() === 'claude-keys.claude-keys' && e.isActive));
  });

  it('at start-up nothing was stored: no key from the workspace settings became the user\'s key', async () => {
    // The start-up checks run after activation; give them time to finish (or to wrongly store).
    await settle(1500);
    assert.ok((await api.secrets.get(SecretKeys.keyring)) === undefined, 'a key was stored');
  });

  it('workspace values of the claudeKeys settings are ignored; only quickPromptTarget (shows, costs nothing) is honoured', () => {
    const config = vscode.workspace.getConfiguration(Settings.section);
    const file = JSON.parse(fs.readFileSync(vscode.Uri.joinPath(folder(), '.vscode', 'settings.json').fsPath, 'utf8')) as Record<string, unknown>;
    const planted = Object.keys(file).filter((k) => k.startsWith(`${Settings.section}.`));
    assert.equal(planted.length, Object.keys(Settings).length - 1, 'the hostile settings do not set every claudeKeys setting');
    const honoured: string[] = [];
    for (const full of planted) {
      const name = full.slice(Settings.section.length + 1);
      const inspected = config.inspect<unknown>(name);
      assert.ok(inspected);
      const expected = inspected.globalValue ?? inspected.defaultValue;
      if (JSON.stringify(config.get(name)) !== JSON.stringify(expected)) {
        honoured.push(full);
      }
    }
    assert.deepEqual(honoured, [`${Settings.section}.${Settings.promptQuickPromptTarget}`]);
  });

  it('detection still marks the key in app.ts at full severity, though the workspace turns detection off and down to hints', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'app.ts'));
    await vscode.window.showTextDocument(doc);
    const [d] = await until(() => (ourDiagnostics(doc.uri).length ? ourDiagnostics(doc.uri) : undefined), 'a marker on app.ts', 10_000, 100);
    assert.equal(d.code, DiagnosticCodes.apiKey);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    // Without git the message cannot know the file is tracked; it still says what to do.
    assert.doesNotMatch(d.message, /tracked by git/);
    assert.match(d.message, /Move it out of the source/);
  });

  it('checking files with keys and listing their fixes runs no git: the repository\'s fsmonitor hook never runs', async () => {
    for (const name of ['app.ts', '.env']) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), name));
      await vscode.window.showTextDocument(doc);
      // Straight through the diagnostics and the fix provider, whatever the detection settings say.
      const diagnostics = await api.diagnostics.toDiagnostics(doc.uri, detectCredentials(doc.getText()).map((f) => keyedFinding(doc.getText(), f)));
      assert.equal(diagnostics.length, 1);
      assert.doesNotMatch(diagnostics[0].message, /tracked by git/);
      const context = { diagnostics, triggerKind: vscode.CodeActionTriggerKind.Invoke, only: undefined };
      const actions = await api.quickFixes.provideCodeActions(doc, diagnostics[0].range, context);
      assert.ok(!actions.some((a) => /gitignore|Rotate this key/.test(a.title)), 'a git-based fix was offered without git');
    }
    await settle(1000);
    assert.equal(hookRan(), false, `git ran in the untrusted repository: ${hookRan() ? fs.readFileSync(MARKER, 'utf8') : ''}`);
  });

  it('Scan Git History refuses to run git in the untrusted repository: the user is told why, the tree stays empty, the fsmonitor hook never runs', async () => {
    const outcome = (await vscode.commands.executeCommand(Commands.scanGitHistory, folder())) as { outcome: string };
    assert.equal(outcome.outcome, 'untrusted');
    assert.ok(user.messages.some((m) => /trusted workspace/.test(m.message)), JSON.stringify(user.messages));
    assert.equal(user.progressTitles.length, 0, 'a scan started');
    assert.deepEqual(api.historyTree.getChildren(), []);
    await settle(1000);
    assert.equal(hookRan(), false, `git ran in the untrusted repository: ${hookRan() ? fs.readFileSync(MARKER, 'utf8') : ''}`);
  });

  it('no key goes into terminals, though the user turned claudeKeys.injectIntoTerminals on', async () => {
    await fresh();
    const key = fakeKeys.apiKey();
    assert.equal(vscode.workspace.getConfiguration(Settings.section).inspect(Settings.injectIntoTerminals)?.globalValue, true);
    assert.equal(vscode.workspace.getConfiguration('terminal.integrated').get('allowInUntrustedWorkspace'), true, 'VS Code would not start the terminal at all');
    await storeDirectly(api, { default: key });
    assert.equal(await api.terminals.apply(true), 'removed');
    assert.equal(api.environmentVariableCollection.get(API_KEY_ENV_VAR), undefined);
    const out = vscode.Uri.joinPath(folder(), '..', 'terminal-env.txt');
    const terminal = vscode.window.createTerminal({ name: 'env check', shellPath: '/bin/sh', shellArgs: ['-c', `printf "[%s]" "$${API_KEY_ENV_VAR}" > "${out.fsPath}"`] });
    try {
      const pid = await Promise.race([terminal.processId, settle(8000).then(() => 'no process')]);
      const seen = await until(
        () => (fs.existsSync(out.fsPath) && fs.readFileSync(out.fsPath, 'utf8').endsWith(']') ? fs.readFileSync(out.fsPath, 'utf8') : undefined),
        `the terminal to write its environment (process ${pid}, exit ${JSON.stringify(terminal.exitStatus)}, state ${JSON.stringify(terminal.state)})`,
        10_000,
        100,
      );
      assert.equal(seen, '[]');
    } finally {
      terminal.dispose();
      fs.rmSync(out.fsPath, { force: true });
      await fresh();
    }
  });

  it('keys in the workspace settings are reported as leaked there and never adopted, whatever the user clicks', async () => {
    await fresh();
    // The user clicks every button offered, the way "one click on Move to SecretStorage" did.
    user.answerMessage = (m) => m.actions.find((a) => !/Open Settings File/.test(a)) ?? m.actions[0];
    const outcome = (await vscode.commands.executeCommand(Commands.moveKeysFromSettings)) as MigrationOutcome;
    assert.equal(outcome.outcome, 'reported');
    // claudeKeys.apiKey is never read, and with application scope VS Code does not even show its
    // workspace value: only the other extension's setting is there to report.
    assert.deepEqual(outcome.reported?.map((r) => [r.setting, r.scope, r.adopted]), [['anthropic.apiKey', 'workspace', false]]);
    for (const m of user.messages) {
      assert.match(m.message, /settings file .*\.vscode\/settings\.json holds a Claude API key .* Claude Keys did not store it\./);
      assert.deepEqual(m.actions, ['Open Settings File'], 'Restricted Mode offered to store a workspace key');
    }
    assert.ok((await api.secrets.get(SecretKeys.keyring)) === undefined, 'a key was stored');
    for (const key of plantedKeys()) {
      assert.ok(!user.everythingShown().includes(key), 'a message showed a key unmasked');
    }
  });

  it('[needs quickfix branch if it fails] saving with the workspace\'s editor.codeActionsOnSave applies no Claude Keys fix and stores nothing', async () => {
    await fresh();
    const uri = vscode.Uri.joinPath(folder(), 'app.ts');
    const before = fs.readFileSync(uri.fsPath, 'utf8');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await until(() => (ourDiagnostics(doc.uri).length ? true : undefined), 'a marker on app.ts', 10_000, 100);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(doc.lineCount - 1, 0), '// edited\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      const saved = await doc.save();
      await settle(500);
      assert.ok((await api.secrets.get(SecretKeys.keyring)) === undefined, 'a key was stored on save');
      assert.equal(fs.existsSync(vscode.Uri.joinPath(folder(), '.gitignore').fsPath), false);
      assert.equal(doc.getText(), before + '// edited\n', 'saving changed more than the user typed');
      assert.ok(saved, 'the save did not complete');
      assert.equal(fs.readFileSync(uri.fsPath, 'utf8'), before + '// edited\n');
    } finally {
      // Put the repository back for the tests that follow, whatever the save did.
      fs.writeFileSync(uri.fsPath, before);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await fresh();
    }
  });

  it('network goes only to the user\'s API URL with the user\'s model and max tokens; the attacker (proxy, base URL) receives nothing', async () => {
    await fresh();
    const fake: FakeAnthropicApi = await fakeApi();
    const key = fakeKeys.apiKey();
    fake.addApiKey(key);
    await storeDirectly(api, { default: key });
    const config = vscode.workspace.getConfiguration(Settings.section);
    // The user's own choices (user settings) against the repository's expensive ones.
    await config.update(Settings.promptDefaultModel, 'claude-haiku-4-5-20251001', vscode.ConfigurationTarget.Global);
    await config.update(Settings.promptMaxTokens, 321, vscode.ConfigurationTarget.Global);
    await config.update(Settings.promptQuickPromptTarget, 'document', vscode.ConfigurationTarget.Workspace);
    try {
      const report = await api.services.validator.validateActive();
      assert.equal(report.state, 'valid', JSON.stringify(report));
      user.type('Say hi');
      const outcome = (await vscode.commands.executeCommand(Commands.quickPrompt)) as QuickPromptOutcome;
      assert.equal(outcome.outcome, 'done');
    } finally {
      await config.update(Settings.promptQuickPromptTarget, 'panel', vscode.ConfigurationTarget.Workspace);
      await config.update(Settings.promptDefaultModel, undefined, vscode.ConfigurationTarget.Global);
      await config.update(Settings.promptMaxTokens, undefined, vscode.ConfigurationTarget.Global);
    }
    const [sent] = fake.messagesRequests();
    assert.equal(sent.model, 'claude-haiku-4-5-20251001');
    assert.equal(sent.max_tokens, 321);
    assert.deepEqual(await attackerReceived(), []);
  });

  it('Count Tokens uses the user\'s model and prices, not the repository\'s (opus-4-1 at $0), and sends only to the user\'s API URL', async () => {
    await fresh();
    const fake: FakeAnthropicApi = await fakeApi();
    const key = fakeKeys.apiKey();
    fake.addApiKey(key);
    await storeDirectly(api, { default: key });
    api.catalog.invalidate();
    const config = vscode.workspace.getConfiguration(Settings.section);
    await config.update(Settings.promptDefaultModel, 'claude-haiku-4-5-20251001', vscode.ConfigurationTarget.Global);
    await config.update(Settings.usagePricing, { 'claude-haiku-4-5': { input: 2 } }, vscode.ConfigurationTarget.Global);
    let outcome: CountTokensOutcome;
    try {
      const doc = await vscode.workspace.openTextDocument({ content: 'c'.repeat(4_000) });
      await vscode.window.showTextDocument(doc);
      outcome = (await vscode.commands.executeCommand(Commands.countTokens)) as CountTokensOutcome;
    } finally {
      await config.update(Settings.promptDefaultModel, undefined, vscode.ConfigurationTarget.Global);
      await config.update(Settings.usagePricing, undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
    assert.deepEqual([outcome.outcome, outcome.model, outcome.inputTokens], ['counted', 'claude-haiku-4-5-20251001', 1_000]);
    assert.equal(outcome.costUsd, 0.002);
    assert.equal(fake.requests.filter((r) => r.path === '/v1/messages/count_tokens').length, 1);
    assert.deepEqual(await attackerReceived(), []);
  });

  it('nothing the repository planted is stored anywhere: SecretStorage, globalState, workspaceState, settings, log', async () => {
    const stored = JSON.stringify({
      keyring: await keyring(api),
      admin: await api.secrets.get(SecretKeys.adminKey),
      persisted: everythingPersisted(api),
      workspaceState: api.workspaceState.keys().map((k) => [k, api.workspaceState.get(k)]),
    });
    const planted = plantedKeys();
    assert.equal(planted.length, 4, 'the hostile repository should hold four keys');
    for (const key of planted) {
      assert.ok(!stored.includes(key), `a planted key (…${key.slice(-4)}) was stored`);
    }
    assert.equal(hookRan(), false);
    assert.deepEqual(await attackerReceived(), []);
  });
});
