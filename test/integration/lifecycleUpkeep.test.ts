import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { API_KEY_ENV_VAR, Commands, SecretKeys, Settings, StateKeys, Urls } from '../../src/constants';
import type { KeyCommandOutcome } from '../../src/keys/keyCommands';
import type { RotationOutcome } from '../../src/keys/rotation';
import type { MigrationOutcome } from '../../src/keys/settingsMigration';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { everythingPersisted, keyring, metadata, settle, storeDirectly, storedKey, until, waitForStatusBar } from './helpers';
import { lifecycleSuite, masked } from './lifecycleSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

/** Living with keys: rotation reminders, leaked keys, named keys, terminals, keys found in settings. */
describe('Key lifecycle against the fake Claude API', () => {
  let api: ClaudeKeysTestApi, user: ScriptedInteraction, fake: FakeAnthropicApi;
  const lastMessage = lifecycleSuite((h) => ({ api, user, fake } = h));

  describe('Rotation reminder', () => {
    const DAY = 86_400_000;
    const backdate = async (days: number): Promise<void> => {
      const setAt = new Date(Date.now() - days * DAY).toISOString();
      await api.globalState.update(StateKeys.keyMetadata, { default: { setAt, source: 'input' } });
    };

    it('reminds once per window per day when the key is older than the setting; Snooze and Don\'t Remind work', async () => {
      const key = fakeKeys.apiKey();
      await storeDirectly(api, { default: key });
      await backdate(100);
      const now = new Date();
      assert.equal(await api.reminder.check(now), 'shown');
      assert.match(lastMessage().message, new RegExp(`${masked(key)} is 100 days old`));
      assert.deepEqual(lastMessage().actions, ['Rotate Now', 'Snooze 7 Days', "Don't Remind Me"]);
      assert.equal(await api.reminder.check(now), 'notDue', 'reminded twice the same day');
      user.answerMessage = (m) => (m.actions.includes('Snooze 7 Days') ? 'Snooze 7 Days' : undefined);
      const tomorrow = new Date(now.getTime() + DAY);
      assert.equal(await api.reminder.check(tomorrow), 'shown');
      await settle();
      assert.ok(metadata(api)?.reminder?.snoozedUntil);
      assert.equal(await api.reminder.check(new Date(now.getTime() + 2 * DAY)), 'notDue', 'snoozed');
      user.answerMessage = (m) => (m.actions.includes("Don't Remind Me") ? "Don't Remind Me" : undefined);
      assert.equal(await api.reminder.check(new Date(now.getTime() + 9 * DAY)), 'shown');
      await settle();
      assert.equal(metadata(api)?.reminder?.disabled, true);
      assert.equal(await api.reminder.check(new Date(now.getTime() + 30 * DAY)), 'notDue', 'disabled');
    });

    it('stays quiet for young keys and when the setting is 0', async () => {
      await storeDirectly(api, { default: fakeKeys.apiKey() });
      await backdate(10);
      assert.equal(await api.reminder.check(new Date(Date.now() + 3 * DAY)), 'notDue');
      await backdate(400);
      const config = vscode.workspace.getConfiguration(Settings.section);
      await config.update(Settings.rotationReminderDays, 0, vscode.ConfigurationTarget.Global);
      try {
        assert.equal(await api.reminder.check(new Date(Date.now() + 5 * DAY)), 'notDue');
      } finally {
        await config.update(Settings.rotationReminderDays, undefined, vscode.ConfigurationTarget.Global);
      }
      assert.deepEqual(user.messages.map((m) => m.message), []);
    });
  });

  describe('Report Leaked Key', () => {
    it('removes the key, opens the Console, finds it in the workspace, starts rotation', async () => {
      const key = fakeKeys.apiKey();
      await storeDirectly(api, { default: key });
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      assert.ok(folder, 'the integration workspace has a folder');
      const file = vscode.Uri.joinPath(folder, 'leak-test', 'config.py');
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(`import os\n\nclient = make(api_key="${key}")\n`));
      try {
        user.answerMessage = (m) => (m.actions.includes('Remove and Replace It') ? 'Remove and Replace It' : undefined);
        const outcome = (await vscode.commands.executeCommand(Commands.reportLeakedKey)) as {
          outcome: string;
          locations: Array<{ uri: string; line: number; column: number }>;
          rotation: RotationOutcome;
        };
        assert.equal(outcome.outcome, 'handled');
        assert.equal(await storedKey(api), undefined);
        assert.deepEqual(user.openedUrls, [Urls.consoleKeys]);
        assert.deepEqual(
          outcome.locations.map((l) => [l.uri.endsWith('leak-test/config.py'), l.line, l.column]),
          [[true, 3, 24]],
        );
        assert.ok(user.messages.some((m) => /appears in 1 place/.test(m.message)));
        assert.equal(outcome.rotation.outcome, 'cancelled', 'rotation was not started');
        assert.ok(user.messages.some((m) => m.message.startsWith('Replace the leaked key')));
        assert.ok(!user.everythingShown().includes(key));
        assert.ok(!everythingPersisted(api).includes(key));
        await waitForStatusBar(api, (s) => s.state === 'none');
      } finally {
        await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, 'leak-test'), { recursive: true });
      }
    });
  });

  describe('Named keys', () => {
    it('keeps several keys, one active; switching changes what requests use; each has its own dates and state', async () => {
      const work = fakeKeys.apiKey();
      const personal = fakeKeys.apiKey();
      fake.addApiKey(work);
      user.type(work);
      await vscode.commands.executeCommand(Commands.setApiKey);
      user.type('personal');
      user.type(personal);
      const added = (await vscode.commands.executeCommand(Commands.addNamedApiKey)) as KeyCommandOutcome;
      assert.equal(added.outcome, 'stored');
      assert.equal(added.name, 'personal');
      assert.equal(added.validation?.state, 'invalid', 'the fake does not know this key');
      assert.equal(await storedKey(api), personal);
      assert.equal(metadata(api, 'default')?.validation?.state, 'valid');
      assert.equal(metadata(api, 'personal')?.validation?.state, 'invalid');
      const bar = await waitForStatusBar(api, (s) => s.text.includes('(personal)'));
      assert.match(bar.text, /Claude \(personal\): key invalid/);

      user.pickLabel = (labels) => labels.find((l) => l.endsWith('default'));
      const switched = (await vscode.commands.executeCommand(Commands.switchApiKey)) as KeyCommandOutcome;
      assert.equal(switched.outcome, 'switched');
      assert.equal(await storedKey(api), work);
      await waitForStatusBar(api, (s) => s.text.includes('Claude (default): key valid'));
      const picks = user.quickPicks[user.quickPicks.length - 1];
      assert.ok(picks.some((l) => l.includes('Add a Named Key')));
    });

    it('refuses a duplicate or malformed name', async () => {
      await storeDirectly(api, { work: fakeKeys.apiKey() });
      user.type('WORK');
      assert.equal(((await vscode.commands.executeCommand(Commands.addNamedApiKey)) as KeyCommandOutcome).outcome, 'cancelled');
      assert.match(user.inputBoxes[0].validation[0], /exists/);
      user.type('../etc');
      await vscode.commands.executeCommand(Commands.addNamedApiKey);
      assert.match(user.inputBoxes[1].validation[0], /letters, digits/);
      assert.deepEqual(Object.keys((await keyring(api)).keys), ['work']);
    });
  });

  describe('Key for terminals (opt-in)', () => {
    const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(Settings.section);
    afterEach(async () => {
      await config().update(Settings.injectIntoTerminals, undefined, vscode.ConfigurationTarget.Global);
    });

    it('off by default; on puts the key into new terminals (non-persistent, described, warned once); off removes it', async () => {
      const key = fakeKeys.apiKey();
      await storeDirectly(api, { default: key });
      assert.equal(await api.terminals.apply(), 'removed');
      assert.equal(api.environmentVariableCollection.get(API_KEY_ENV_VAR), undefined);

      await config().update(Settings.injectIntoTerminals, true, vscode.ConfigurationTarget.Global);
      assert.equal(await api.terminals.apply(), 'injected');
      const mutator = api.environmentVariableCollection.get(API_KEY_ENV_VAR);
      assert.equal(mutator?.value, key);
      assert.equal(mutator?.type, vscode.EnvironmentVariableMutatorType.Replace);
      assert.equal(api.environmentVariableCollection.persistent, false);
      assert.match(String(api.environmentVariableCollection.description), new RegExp(API_KEY_ENV_VAR));
      assert.equal(user.messages.filter((m) => /Every program you run in them can read it/.test(m.message)).length, 1);
      await api.terminals.apply();
      assert.equal(user.messages.filter((m) => /Every program you run in them can read it/.test(m.message)).length, 1, 'warned twice');

      // A real new terminal sees the variable.
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      assert.ok(folder);
      const out = vscode.Uri.joinPath(folder, 'terminal-env.txt');
      const terminal = vscode.window.createTerminal({ name: 'env check', shellPath: '/bin/sh', shellArgs: ['-c', `printf %s "$${API_KEY_ENV_VAR}" > "${out.fsPath}"`] });
      try {
        const seen = await until(
          async () => {
            try {
              // The shell creates the file before printf writes to it: an empty read is "not yet".
              return new TextDecoder().decode(await vscode.workspace.fs.readFile(out)) || undefined;
            } catch {
              return undefined;
            }
          },
          'the terminal to write its environment',
          10_000,
          100,
        );
        assert.equal(seen, key);
      } finally {
        terminal.dispose();
        await vscode.workspace.fs.delete(out).then(undefined, () => undefined);
      }

      const rotated = fakeKeys.apiKey();
      await storeDirectly(api, { default: rotated });
      await until(() => (api.environmentVariableCollection.get(API_KEY_ENV_VAR)?.value === rotated ? true : undefined), 'the rotated key in terminals', 10_000, 100);

      await config().update(Settings.injectIntoTerminals, false, vscode.ConfigurationTarget.Global);
      await until(() => (api.environmentVariableCollection.get(API_KEY_ENV_VAR) === undefined ? true : undefined), 'the key removed from terminals', 10_000, 100);
    });
  });

  describe('Move keys from settings', () => {
    it('moves a key found in user settings into SecretStorage and removes the setting', async () => {
      const key = fakeKeys.apiKey();
      await withKeyInUserSettings(key, async () => {
        user.answerMessage = (m) => (m.actions.includes('Move to SecretStorage') ? 'Move to SecretStorage' : undefined);
        const outcome = (await vscode.commands.executeCommand(Commands.moveKeysFromSettings)) as { outcome: string; moved: Array<{ setting: string; removed: boolean }> };
        assert.equal(outcome.outcome, 'moved');
        assert.deepEqual(
          outcome.moved.map((m) => [m.setting, m.removed]),
          [[`${Settings.section}.${Settings.deprecatedApiKey}`, true]],
        );
        assert.match(user.messages[0].message, new RegExp(`A Claude API key \\(${masked(key)}\\) is in your user settings as "${Settings.section}\\.${Settings.deprecatedApiKey}"`));
        assert.equal(await storedKey(api), key);
        assert.equal(vscode.workspace.getConfiguration(Settings.section).inspect(Settings.deprecatedApiKey)?.globalValue, undefined);
        assert.equal(metadata(api)?.source, 'settings');
      });
    });

    it('reports a key planted in workspace settings as leaked there and never stores it, even if the user clicks Move', async () => {
      const key = fakeKeys.apiKey();
      await withKeyInWorkspaceSettings(key, async (settingsFile) => {
        // The user clicks whatever looks like "move" or "store": only the explicit two-step choice adopts.
        user.answerMessage = (m) => m.actions.find((a) => /Move|Store/.test(a));
        const outcome = (await vscode.commands.executeCommand(Commands.moveKeysFromSettings)) as MigrationOutcome;
        assert.equal(outcome.outcome, 'reported');
        assert.deepEqual(outcome.reported, [{ setting: 'someAssistant.anthropic.apiKey', scope: 'workspace', masked: masked(key), adopted: false }]);
        assert.equal(user.messages.length, 1);
        assert.match(user.messages[0].message, new RegExp(`settings file .*\\.vscode/settings\\.json holds a Claude API key \\(${masked(key)}\\) as "someAssistant\\.anthropic\\.apiKey"\\. It came with the workspace`));
        assert.deepEqual(user.messages[0].actions, ['Open Settings File', 'Use This Key…']);
        assert.ok((await api.secrets.get(SecretKeys.keyring)) === undefined, 'a workspace key was stored');
        assert.ok(new TextDecoder().decode(await vscode.workspace.fs.readFile(settingsFile)).includes(key), 'the repository file was changed without a choice');
        assert.ok(!user.everythingShown().includes(key));
      });
    });

    it('adopts a key from workspace settings only after Use This Key… and a modal confirmation that names the file', async () => {
      const existing = fakeKeys.apiKey();
      await storeDirectly(api, { default: existing });
      const key = fakeKeys.apiKey();
      await withKeyInWorkspaceSettings(key, async () => {
        user.answerMessage = (m) => (m.actions.includes('Use This Key…') ? 'Use This Key…' : m.options.modal ? m.actions[0] : undefined);
        const outcome = (await vscode.commands.executeCommand(Commands.moveKeysFromSettings)) as MigrationOutcome;
        assert.equal(outcome.outcome, 'reported');
        assert.equal(outcome.reported?.[0].adopted, true);
        const confirm = user.messages[1];
        assert.equal(confirm.options.modal, true);
        assert.match(confirm.message, new RegExp(`Store ${masked(key)} from .*\\.vscode/settings\\.json in SecretStorage`));
        assert.match(confirm.options.detail ?? '', /not set by you in Claude Keys: it was in the settings file .*\.vscode\/settings\.json of this workspace/);
        assert.match(confirm.actions[0], /^Store Key from .*\.vscode\/settings\.json$/);
        const ring = await keyring(api);
        assert.equal(ring.active, 'default', 'the adopted key became active over the user\'s own key');
        assert.equal(ring.keys['from-workspace-settings'], key);
        assert.ok(!user.everythingShown().includes(key));
      });
    });

    it('keeps an existing key active and adds the one from settings under a new name; says when nothing is found', async () => {
      const existing = fakeKeys.apiKey();
      await storeDirectly(api, { default: existing });
      const key = fakeKeys.apiKey();
      await withKeyInUserSettings(key, async () => {
        user.answerMessage = (m) => (m.actions.includes('Move to SecretStorage') ? 'Move to SecretStorage' : undefined);
        await vscode.commands.executeCommand(Commands.moveKeysFromSettings);
        const ring = await keyring(api);
        assert.equal(ring.active, 'default');
        assert.equal(ring.keys['from-settings'], key);
      });
      user.messages.length = 0;
      const none = (await vscode.commands.executeCommand(Commands.moveKeysFromSettings)) as { outcome: string };
      assert.equal(none.outcome, 'none');
      assert.match(user.messages[0].message, /No Claude API key was found/);
    });
  });
});

/** Runs `body` while the user settings hold `key` in the deprecated claudeKeys.apiKey setting. */
async function withKeyInUserSettings(key: string, body: () => Promise<void>): Promise<void> {
  const config = vscode.workspace.getConfiguration(Settings.section);
  await config.update(Settings.deprecatedApiKey, key, vscode.ConfigurationTarget.Global);
  try {
    await body();
  } finally {
    await config.update(Settings.deprecatedApiKey, undefined, vscode.ConfigurationTarget.Global);
  }
}

const PLANTED_SETTING = 'someAssistant.anthropic.apiKey';
const plantedValueIs = (value: string | undefined): Promise<true> =>
  until(() => (vscode.workspace.getConfiguration().inspect(PLANTED_SETTING)?.workspaceValue === value ? true : undefined), `${PLANTED_SETTING} read again`, 10_000, 100);

/**
 * Runs `body` while the workspace's .vscode/settings.json holds `key` as another extension's
 * setting (once VS Code has read it), then deletes the .vscode folder and waits until VS Code has
 * read the settings again (the next test must not see the planted key).
 */
async function withKeyInWorkspaceSettings(key: string, body: (settingsFile: vscode.Uri) => Promise<void>): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(folder);
  const settingsFile = vscode.Uri.joinPath(folder, '.vscode', 'settings.json');
  await vscode.workspace.fs.writeFile(settingsFile, new TextEncoder().encode(JSON.stringify({ 'someAssistant.anthropic': { apiKey: key } }, null, 2)));
  try {
    await plantedValueIs(key);
    await body(settingsFile);
  } finally {
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, '.vscode'), { recursive: true });
    await plantedValueIs(undefined);
  }
}
