import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, OPEN_WALKTHROUGH_ON_INSTALL_SETTING, StateKeys } from '../../src/constants';
import { PRE_COMMIT_HOOK_SCRIPT } from '../../src/core/preCommitHook';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import { activateExtension, resetState } from './helpers';

/** The walkthrough's editor: VS Code labels it "Welcome" and gives extensions no typed input for it. */
function walkthroughTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.label === 'Welcome' && tab.input === undefined);
}

async function waitForWalkthroughTab(timeoutMs = 10_000): Promise<vscode.Tab> {
  const deadline = Date.now() + timeoutMs;
  while (walkthroughTabs().length === 0) {
    if (Date.now() > deadline) {
      throw new Error(`no walkthrough editor; tabs: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)).join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return walkthroughTabs()[0];
}

async function closeWalkthroughs(): Promise<void> {
  await vscode.window.tabGroups.close(walkthroughTabs());
}

describe('Get Started walkthrough', () => {
  let api: ClaudeKeysTestApi;
  const openOnInstall = (value: boolean | undefined): Thenable<void> =>
    vscode.workspace.getConfiguration().update(OPEN_WALKTHROUGH_ON_INSTALL_SETTING, value, vscode.ConfigurationTarget.Global);

  before(async () => {
    api = await activateExtension();
  });

  beforeEach(async () => {
    await resetState(api);
    await closeWalkthroughs();
  });

  after(async () => {
    // Back to what the harness seeds: other tests must never see a walkthrough open by itself.
    await openOnInstall(false);
    await closeWalkthroughs();
    await resetState(api);
  });

  it('decided at start-up with the seeded setting off: not opened, and remembered', async () => {
    // activate() ran before any test; its first status bar refresh made the decision.
    assert.equal(await api.walkthrough.firstRunOutcome(), 'turnedOff');
  });

  it('first run with no key and openOnInstall on: opens the walkthrough once, never again', async () => {
    await openOnInstall(true);
    assert.equal(await api.walkthrough.openOnFirstRun('none'), 'opened');
    await waitForWalkthroughTab();
    assert.equal(api.globalState.get(StateKeys.walkthroughOffered), true);
    await closeWalkthroughs();
    assert.equal(await api.walkthrough.openOnFirstRun('none'), 'alreadyOffered');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(walkthroughTabs().length, 0, 'the walkthrough opened a second time');
  });

  it('respects VS Code\'s openOnInstall: off means not now and not later', async () => {
    await openOnInstall(false);
    assert.equal(await api.walkthrough.openOnFirstRun('none'), 'turnedOff');
    await openOnInstall(true);
    assert.equal(await api.walkthrough.openOnFirstRun('none'), 'alreadyOffered');
    assert.equal(walkthroughTabs().length, 0);
  });

  it('does not interrupt a user who already has a key (an update, a synced install)', async () => {
    await openOnInstall(true);
    for (const state of ['unchecked', 'valid', 'invalid', 'offline'] as const) {
      await api.globalState.update(StateKeys.walkthroughOffered, undefined);
      assert.equal(await api.walkthrough.openOnFirstRun(state), 'hasKey', state);
    }
    assert.equal(walkthroughTabs().length, 0);
  });

  it('waits while SecretStorage cannot say whether a key exists, and decides later', async () => {
    await openOnInstall(true);
    assert.equal(await api.walkthrough.openOnFirstRun('unavailable'), 'keyUnknown');
    assert.equal(api.globalState.get(StateKeys.walkthroughOffered), undefined);
    assert.equal(await api.walkthrough.openOnFirstRun('valid'), 'hasKey');
    assert.equal(api.globalState.get(StateKeys.walkthroughOffered), true);
  });

  it('Claude Keys: Get Started opens it whenever asked', async () => {
    await vscode.commands.executeCommand(Commands.openWalkthrough);
    await waitForWalkthroughTab();
  });

  it('Show Pre-commit Hook opens the README\'s hook as an unsaved shell script and writes no file', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder);
    const before = fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort();
    const editor = (await vscode.commands.executeCommand(Commands.showPreCommitHook)) as vscode.TextEditor;
    try {
      assert.equal(vscode.window.activeTextEditor?.document, editor.document);
      assert.ok(editor.document.isUntitled, 'the hook was saved somewhere');
      assert.equal(editor.document.languageId, 'shellscript');
      const text = editor.document.getText();
      assert.ok(text.startsWith('#!/bin/sh\n'), text);
      assert.ok(text.endsWith(PRE_COMMIT_HOOK_SCRIPT.split('\n').slice(1).join('\n')), text);
      assert.match(text, /\.git\/hooks\/pre-commit/);
      assert.match(text, /chmod \+x/);
      assert.deepEqual(fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort(), before);
      assert.ok(!fs.existsSync(path.join(folder, '.git', 'hooks', 'pre-commit')));
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
