import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/constants';
import type { ValidationReport } from '../../src/keys/keyValidation';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import { fakeKeys } from '../fakes/keys';
import { activateExtension, fakeApi, resetState, storeDirectly } from './helpers';
import { ScriptedInteraction } from './scriptedInteraction';

/** Text only the SDK's code contains: the User-Agent it sends with every request. */
const SDK_MARKER = 'Anthropic/JS ';

/**
 * This file sorts first, so it runs before any other test has called the API or opened the panel:
 * what it sees loaded is what activation (and the start-up checks after it) loaded.
 */
describe('Activation loads only dist/extension.js', () => {
  let api: ClaudeKeysTestApi;
  let dist: string;

  /** The extension's bundles that this extension host has loaded, by file name. */
  const loadedBundles = (): string[] =>
    Object.keys(require.cache)
      .filter((file) => path.dirname(file) === dist)
      .map((file) => path.basename(file))
      .sort();

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    dist = path.join(extension.extensionPath, 'dist');
    api = await activateExtension();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetState(api);
  });

  it('activate() loads only dist/extension.js; the start-up checks after it load the usage ledger, not the SDK', async () => {
    assert.deepEqual(api.activation.loadedBundles, ['extension.js']);
    await api.usage.idle; // the first use: the start-up checks read today's spend
    assert.deepEqual(loadedBundles(), ['extension.js', 'usageService.js']);
  });

  it('after activation the SDK is not loaded; the first Validate loads dist/sdk.js, which holds it', async () => {
    assert.deepEqual(loadedBundles(), ['extension.js', 'usageService.js']);
    assert.ok(!fs.readFileSync(path.join(dist, 'extension.js'), 'utf8').includes(SDK_MARKER), 'the SDK is bundled into dist/extension.js');

    const fake = await fakeApi();
    await resetState(api);
    api.setInteraction(new ScriptedInteraction());
    const key = fakeKeys.apiKey();
    fake.addApiKey(key);
    await storeDirectly(api, { default: key });
    assert.deepEqual(loadedBundles(), ['extension.js', 'usageService.js'], 'storing a key must not load the SDK');

    const report = (await vscode.commands.executeCommand(Commands.validateApiKey)) as ValidationReport;
    assert.equal(report.state, 'valid');
    assert.deepEqual(loadedBundles(), ['extension.js', 'sdk.js', 'usageService.js']);
    assert.ok(fs.readFileSync(path.join(dist, 'sdk.js'), 'utf8').includes(SDK_MARKER));
  });

  it('the command code (dist/onDemand.js) loads when a command first runs, not at start-up or for Validate', async () => {
    assert.ok(!loadedBundles().includes('onDemand.js'), 'start-up or Validate loaded the command code');
    const ui = new ScriptedInteraction();
    api.setInteraction(ui);
    await vscode.commands.executeCommand(Commands.showKeyStatus);
    assert.ok(loadedBundles().includes('onDemand.js'));
    assert.ok(ui.messages.length > 0, 'Show Key Status showed nothing');
  });

  it('the prompt panel code loads when the panel first opens; the runner and model list (dist/prompting.js) with it, not before', async () => {
    assert.ok(!loadedBundles().includes('promptPanel.js'));
    assert.ok(!loadedBundles().includes('prompting.js'), 'start-up, Validate or a key command loaded the prompt code');
    await vscode.commands.executeCommand(Commands.openPromptPanel);
    assert.ok(loadedBundles().includes('promptPanel.js'));
    api.catalog.invalidate();
    assert.ok(loadedBundles().includes('prompting.js'));
    assert.ok(api.promptPanel.isOpen);
  });

  it('the Show Usage panel code loads when Show Usage first runs', async () => {
    assert.ok(!loadedBundles().includes('usagePanel.js'));
    await vscode.commands.executeCommand(Commands.showUsage);
    assert.ok(loadedBundles().includes('usagePanel.js'));
    assert.ok(api.usagePanel.isOpen);
  });

  it('what failed calls say (dist/problems.js) loads with the first failure, not for calls that work', async () => {
    assert.ok(!loadedBundles().includes('problems.js'), 'start-up or a working call loaded the failure wording');
    await fakeApi();
    await resetState(api);
    const ui = new ScriptedInteraction();
    api.setInteraction(ui);
    await storeDirectly(api, { default: fakeKeys.apiKey() }); // never added to the fake: a 401
    const report = (await vscode.commands.executeCommand(Commands.validateApiKey)) as ValidationReport;
    assert.equal(report.state, 'invalid');
    assert.ok(loadedBundles().includes('problems.js'));
    assert.ok(ui.messages.some((m) => /Claude rejected the key \(401 unauthorized\)/.test(m.message)), JSON.stringify(ui.messages));
  });

  it('the git history scan (git, cat-file) is in dist/onDemand.js, not in what activation loads, and the command still runs', async () => {
    assert.ok(!fs.readFileSync(path.join(dist, 'extension.js'), 'utf8').includes('cat-file'), 'the git history code is bundled into dist/extension.js');
    assert.ok(fs.readFileSync(path.join(dist, 'onDemand.js'), 'utf8').includes('cat-file'));
    const ui = new ScriptedInteraction();
    api.setInteraction(ui);
    const outcome = (await vscode.commands.executeCommand(Commands.scanGitHistory)) as { outcome: string };
    assert.ok(['noFolder', 'done', 'failed'].includes(outcome.outcome), JSON.stringify(outcome));
    assert.ok(loadedBundles().includes('onDemand.js'));
  });
});
