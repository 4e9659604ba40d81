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

  it('after activation the SDK is not loaded; the first Validate loads dist/sdk.js, which holds it', async () => {
    assert.deepEqual(loadedBundles(), ['extension.js']);
    assert.ok(!fs.readFileSync(path.join(dist, 'extension.js'), 'utf8').includes(SDK_MARKER), 'the SDK is bundled into dist/extension.js');

    const fake = await fakeApi();
    await resetState(api);
    api.setInteraction(new ScriptedInteraction());
    const key = fakeKeys.apiKey();
    fake.addApiKey(key);
    await storeDirectly(api, { default: key });
    assert.deepEqual(loadedBundles(), ['extension.js'], 'storing a key must not load the SDK');

    const report = (await vscode.commands.executeCommand(Commands.validateApiKey)) as ValidationReport;
    assert.equal(report.state, 'valid');
    assert.deepEqual(loadedBundles(), ['extension.js', 'sdk.js']);
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

  it('the prompt panel code loads when the panel first opens', async () => {
    assert.ok(!loadedBundles().includes('promptPanel.js'));
    await vscode.commands.executeCommand(Commands.openPromptPanel);
    assert.ok(loadedBundles().includes('promptPanel.js'));
    assert.ok(api.promptPanel.isOpen);
  });

  it('the Show Usage panel code loads when Show Usage first runs', async () => {
    assert.ok(!loadedBundles().includes('usagePanel.js'));
    await vscode.commands.executeCommand(Commands.showUsage);
    assert.ok(loadedBundles().includes('usagePanel.js'));
    assert.ok(api.usagePanel.isOpen);
  });
});
