import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { API_KEY_ENV_VAR, Commands, SecretKeys, Urls } from '../../src/constants';
import type { KeyCommandOutcome, KeyStatusReport } from '../../src/keys/keyCommands';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import { fakeKeys } from '../fakes/keys';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { everythingPersisted, metadata, settle, storeDirectly, storedKey, waitForStatusBar } from './helpers';
import { hostSuite } from './hostSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

const masked = (key: string): string => `sk-ant-api03-…${key.slice(-4)}`;

describe('Claude Keys in the real extension host', () => {
  let api: ClaudeKeysTestApi;
  let user: ScriptedInteraction;
  let fake: FakeAnthropicApi;

  hostSuite((h) => ({ api, user, fake } = h));

  describe('contributions', () => {
    it('registers exactly the commands package.json contributes, all under claudeKeys.', async () => {
      const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
        contributes: { commands: { command: string; category: string }[]; views?: Record<string, { id: string }[]> };
      };
      const contributed = manifest.contributes.commands.map((c) => c.command).sort();
      // VS Code itself adds focus, open, removeView, resetViewLocation and toggleVisibility for each contributed view.
      const viewIds = new Set(Object.values(manifest.contributes.views ?? {}).flatMap((views) => views.map((v) => v.id)));
      const viewCommands = new Set(['focus', 'open', 'removeView', 'resetViewLocation', 'toggleVisibility']);
      const byVsCode = (command: string): boolean => {
        const dot = command.lastIndexOf('.');
        return viewIds.has(command.slice(0, dot)) && viewCommands.has(command.slice(dot + 1));
      };
      const registered = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('claudeKeys.') && !byVsCode(c)).sort();
      assert.deepEqual(registered, contributed);
      assert.deepEqual(Object.values(Commands).sort(), contributed);
      for (const c of manifest.contributes.commands) {
        assert.equal(c.category, 'Claude Keys', c.command);
      }
    });

    it('shows one status bar item that opens the key menu', async () => {
      const bar = await api.refreshStatusBar();
      assert.equal(bar.state, 'none');
      assert.match(bar.text, /Claude: no key/);
      assert.equal(bar.command, Commands.showKeyMenu);
    });
  });

  describe('Set API Key', () => {
    it('stores a pasted key (surrounding whitespace trimmed) and confirms with the masked form only', async () => {
      const key = fakeKeys.apiKey();
      fake.addApiKey(key);
      user.type(`  ${key}\n`);
      const result = (await vscode.commands.executeCommand(Commands.setApiKey)) as KeyCommandOutcome;
      assert.equal(result.outcome, 'stored');
      assert.equal(result.masked, masked(key));
      assert.equal(result.name, 'default');
      assert.equal(await storedKey(api), key);

      const box = user.inputBoxes[0];
      assert.equal(box.options.password, true);
      assert.equal(box.options.ignoreFocusOut, true);
      assert.deepEqual(box.validation, ['']);

      const confirmation = user.messages.find((m) => m.severity === 'info');
      assert.ok(confirmation, 'no confirmation shown');
      assert.ok(confirmation.message.includes(masked(key)), confirmation.message);

      const recorded = metadata(api);
      assert.ok(recorded);
      assert.equal(recorded.source, 'input');
      assert.ok(Math.abs(Date.parse(recorded.setAt) - Date.now()) < 60_000, recorded.setAt);

      // Set validates at once: the fake knows this key.
      assert.equal(result.validation?.state, 'valid');
      assert.equal(recorded.validation?.state, 'valid');
      const bar = await waitForStatusBar(api, (s) => s.state === 'valid');
      assert.match(bar.text, /Claude: key valid/);
      assert.ok(bar.tooltip.includes(masked(key)), bar.tooltip);

      assert.ok(!user.everythingShown().includes(key), 'the key was shown to the user');
      assert.ok(!everythingPersisted(api).includes(key), 'the key leaked into state, settings, log or status bar');
      assert.ok(api.logLines().some((l) => l.includes(masked(key))), 'the store was not logged (masked)');
    });

    it('accepts a key pasted inside quotes or as an ANTHROPIC_API_KEY= line', async () => {
      const key = fakeKeys.apiKey();
      user.type(`export ANTHROPIC_API_KEY="${key}"`);
      const result = (await vscode.commands.executeCommand(Commands.setApiKey)) as KeyCommandOutcome;
      assert.equal(result.outcome, 'stored');
      assert.equal(await storedKey(api), key);
    });

    const key = fakeKeys.apiKey();
    const badInputs: ReadonlyArray<readonly [string, () => string, RegExp]> = [
      ['empty input', () => '', /Paste your Claude API key/],
      ['only whitespace', () => '   \t ', /Paste your Claude API key/],
      ['a space inside the key', () => `${key.slice(0, 40)} ${key.slice(40)}`, /spaces or line breaks/],
      ['a line break inside the key', () => `${key.slice(0, 40)}\n${key.slice(40)}`, /spaces or line breaks/],
      ['an OpenAI project key', fakeKeys.openAiProjectKey, /OpenAI/],
      ['a GitHub token', fakeKeys.githubToken, /GitHub token/],
      ['an admin key offered as an API key', fakeKeys.adminKey, /Admin API key .*cannot send prompts/],
      ['a Claude Code OAuth token', fakeKeys.oauthAccessToken, /Claude Code login token/],
      ['a claude.ai session key', fakeKeys.sessionKey, /session key/],
      ['a truncated API key', () => key.slice(0, 80), /has 80 characters; a Claude API key has 108/],
      ['an API key with a character keys never have', () => key.slice(0, 50) + '!' + key.slice(51), /characters a Claude API key never has/],
      ['random text', () => 'hello world', /spaces or line breaks/],
      ['a word', () => 'password123', /not a Claude API key/],
    ];
    for (const [name, make, expected] of badInputs) {
      it(`refuses ${name}: says why, stores nothing`, async () => {
        const value = make();
        user.type(value);
        const result = (await vscode.commands.executeCommand(Commands.setApiKey)) as KeyCommandOutcome;
        assert.equal(result.outcome, 'cancelled');
        assert.match(user.inputBoxes[0].validation[0], expected);
        assert.equal(await storedKey(api), undefined);
        assert.equal(metadata(api), undefined);
        if (value.trim().length >= 8) {
          assert.ok(!user.everythingShown().includes(value.trim()), 'the rejected value was echoed back');
        }
        assert.equal(api.statusBar().state, 'none');
      });
    }

    it('keeps the stored key when a bad value is typed and the box is then cancelled', async () => {
      const old = fakeKeys.apiKey();
      await storeDirectly(api, { default: old });
      user.type(fakeKeys.adminKey());
      const result = (await vscode.commands.executeCommand(Commands.setApiKey)) as KeyCommandOutcome;
      assert.equal(result.outcome, 'cancelled');
      assert.equal(await storedKey(api), old);
    });

    it('lets the user correct a bad value in the same box', async () => {
      const good = fakeKeys.apiKey();
      user.type(good.slice(0, 60), good);
      const result = (await vscode.commands.executeCommand(Commands.setApiKey)) as KeyCommandOutcome;
      assert.equal(result.outcome, 'stored');
      assert.match(user.inputBoxes[0].validation[0], /has 60 characters/);
      assert.equal(user.inputBoxes[0].validation[1], '');
      assert.equal(await storedKey(api), good);
    });
  });

  describe('Clear API Key', () => {
    it('asks first, then removes the key and says so', async () => {
      const key = fakeKeys.apiKey();
      await storeDirectly(api, { default: key });
      user.answerMessage = (m) => (m.options.modal ? 'Remove Key' : undefined);
      const result = (await vscode.commands.executeCommand(Commands.clearApiKey)) as KeyCommandOutcome;
      assert.deepEqual(result, { outcome: 'cleared', masked: masked(key), name: 'default' });
      const [confirm, done] = user.messages;
      assert.equal(confirm.options.modal, true);
      assert.ok(confirm.message.includes(masked(key)));
      assert.match(done.message, /removed from VS Code/);
      assert.equal(await storedKey(api), undefined);
      await waitForStatusBar(api, (s) => s.state === 'none');
      assert.ok(!user.everythingShown().includes(key));
    });

    it('keeps the key when the user does not confirm', async () => {
      const key = fakeKeys.apiKey();
      await storeDirectly(api, { default: key });
      const result = (await vscode.commands.executeCommand(Commands.clearApiKey)) as KeyCommandOutcome;
      assert.equal(result.outcome, 'cancelled');
      assert.equal(await storedKey(api), key);
    });

    it('says so when there is nothing to clear', async () => {
      const result = (await vscode.commands.executeCommand(Commands.clearApiKey)) as KeyCommandOutcome;
      assert.equal(result.outcome, 'unchanged');
      assert.match(user.messages[0].message, /No Claude API key is stored/);
    });
  });

  describe('Show Key Status', () => {
    it('tells where the key lives, its masked form, when it was set and what to do next', async () => {
      const key = fakeKeys.apiKey();
      user.type(key);
      await vscode.commands.executeCommand(Commands.setApiKey);
      user.messages.length = 0;
      const report = (await vscode.commands.executeCommand(Commands.showKeyStatus)) as KeyStatusReport;
      assert.equal(report.state, 'set');
      assert.equal(report.masked, masked(key));
      assert.equal(report.setAt?.slice(0, 10), new Date().toISOString().slice(0, 10));
      // code-server is a web UI: SecretStorage lives in the browser's storage.
      assert.match(report.storage, /browser's storage/);
      const shown = user.messages[0];
      assert.ok(shown.message.includes(masked(key)));
      assert.match(shown.options.detail ?? '', /Where: VS Code SecretStorage/);
      assert.match(shown.options.detail ?? '', /0 days ago/);
      assert.match(shown.options.detail ?? '', /Next: rotate/);
      assert.deepEqual(shown.actions, ['Validate', 'Rotate', 'Open Console']);
      assert.ok(!user.everythingShown().includes(key));
    });

    it('with no key, points to the Console and Set API Key', async () => {
      user.answerMessage = (m) => (m.actions.includes('Open Console') ? 'Open Console' : undefined);
      const report = (await vscode.commands.executeCommand(Commands.showKeyStatus)) as KeyStatusReport;
      assert.equal(report.state, 'none');
      assert.match(user.messages[0].options.detail ?? '', /Set API Key/);
      await settle();
      assert.deepEqual(user.openedUrls, [Urls.consoleKeys]);
    });
  });

  describe('key menu (status bar click)', () => {
    it('offers the key commands and runs the one picked', async () => {
      user.pickLabel = (labels) => labels.find((l) => l.includes('Show Key Status'));
      await vscode.commands.executeCommand(Commands.showKeyMenu);
      assert.equal(user.quickPicks.length, 1);
      assert.ok(user.quickPicks[0].some((l) => l.includes('Set API Key')));
      assert.ok(!user.quickPicks[0].some((l) => l.includes('Clear')), 'Clear offered with no key');
      assert.match(user.messages[0].message, /No Claude API key is stored/);
    });
  });

  describe('import from ANTHROPIC_API_KEY', () => {
    let saved: string | undefined;
    beforeEach(() => {
      saved = process.env[API_KEY_ENV_VAR];
    });
    afterEach(() => {
      if (saved === undefined) {
        delete process.env[API_KEY_ENV_VAR];
      } else {
        process.env[API_KEY_ENV_VAR] = saved;
      }
    });

    it('offers once to import the variable when no key is stored, and imports on Import', async () => {
      const key = fakeKeys.apiKey();
      process.env[API_KEY_ENV_VAR] = key;
      user.answerMessage = (m) => (m.actions.includes('Import') ? 'Import' : undefined);
      fake.addApiKey(key);
      const first = await api.keyCommands.importFromEnvironment(true);
      assert.equal(first.outcome, 'stored');
      assert.equal(first.masked, masked(key));
      assert.equal(first.validation?.state, 'valid');
      assert.match(user.messages[0].message, /ANTHROPIC_API_KEY holds a Claude API key .*The variable itself is left as it is/);
      assert.equal(await storedKey(api), key);
      assert.equal(metadata(api)?.source, 'environment');
      assert.ok(!user.everythingShown().includes(key));
    });

    it('does not offer again after the user said Not Now', async () => {
      process.env[API_KEY_ENV_VAR] = fakeKeys.apiKey();
      user.answerMessage = (m) => (m.actions.includes('Not Now') ? 'Not Now' : undefined);
      assert.equal((await api.keyCommands.importFromEnvironment(true)).outcome, 'declined');
      assert.equal((await api.keyCommands.importFromEnvironment(true)).outcome, 'unchanged');
      assert.equal(user.messages.length, 1);
      assert.equal(await storedKey(api), undefined);
    });

    it('does not offer automatically when a key is already stored', async () => {
      await storeDirectly(api, { default: fakeKeys.apiKey() });
      process.env[API_KEY_ENV_VAR] = fakeKeys.apiKey();
      assert.equal((await api.keyCommands.importFromEnvironment(true)).outcome, 'unchanged');
      assert.equal(user.messages.length, 0);
    });

    it('the command explains an unset or non-Claude variable and stores nothing', async () => {
      delete process.env[API_KEY_ENV_VAR];
      assert.equal(((await vscode.commands.executeCommand(Commands.importKeyFromEnvironment)) as KeyCommandOutcome).outcome, 'unchanged');
      assert.match(user.messages[0].message, /ANTHROPIC_API_KEY is not set/);
      const openAi = fakeKeys.openAiProjectKey();
      process.env[API_KEY_ENV_VAR] = openAi;
      assert.equal(((await vscode.commands.executeCommand(Commands.importKeyFromEnvironment)) as KeyCommandOutcome).outcome, 'unchanged');
      assert.match(user.messages[1].message, /ANTHROPIC_API_KEY is set, but: This looks like an OpenAI key/);
      assert.equal(await storedKey(api), undefined);
      assert.ok(!user.everythingShown().includes(openAi));
    });
  });

  describe('SecretStorage failures', () => {
    it('explains a missing keyring with Learn More, stores nothing anywhere else, logs masked', async () => {
      const key = fakeKeys.apiKey();
      api.injectSecretStorageFault({
        operation: 'store',
        error: new Error(`Cannot create an item in a locked collection (org.freedesktop.secrets) while storing ${key}`),
      });
      user.type(key);
      user.answerMessage = (m) => (m.severity === 'error' ? 'Learn More' : undefined);
      const result = (await vscode.commands.executeCommand(Commands.setApiKey)) as KeyCommandOutcome;
      assert.equal(result.outcome, 'failed');
      const error = user.messages.find((m) => m.severity === 'error');
      assert.ok(error);
      assert.match(error.message, /keyring/);
      assert.match(error.message, /never stores the key anywhere else/);
      assert.deepEqual(error.actions, ['Learn More', 'Show Log']);
      await settle();
      assert.deepEqual(user.openedUrls, [Urls.secretStorageHelp]);
      api.injectSecretStorageFault(undefined);
      assert.equal(await storedKey(api), undefined);
      assert.equal(metadata(api), undefined);
      const persisted = everythingPersisted(api);
      assert.ok(!persisted.includes(key), 'the key leaked after a storage failure');
      assert.ok(api.logLines().some((l) => l.includes('SecretStorage store failed (keyringUnavailable)') && l.includes(masked(key))));
    });

    it('explains a decryption failure when reading, and the status bar says the key is unavailable', async () => {
      api.injectSecretStorageFault({ operation: 'get', error: new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.') });
      const bar = await api.refreshStatusBar();
      assert.equal(bar.state, 'unavailable');
      assert.match(bar.text, /key unavailable/);
      const result = (await vscode.commands.executeCommand(Commands.clearApiKey)) as KeyCommandOutcome;
      assert.equal(result.outcome, 'failed');
      assert.match(user.messages[0].message, /could not decrypt/);
      const status = (await vscode.commands.executeCommand(Commands.showKeyStatus)) as KeyStatusReport;
      assert.equal(status.state, 'unavailable');
    });

    it('a keyring that is not valid JSON reads as no key; the log says so without quoting any of it', async () => {
      const key = fakeKeys.apiKey();
      const prefix = masked(key).split('…')[0];
      // V8's parse error quotes about ten characters after the bad token: make that token a key's body.
      let other: string;
      do {
        other = fakeKeys.apiKey();
      } while (!/^[A-Za-z]/.test(other.slice(prefix.length)));
      await api.secrets.store(SecretKeys.keyring, `{"active":"default","keys":{"default":"${key}","work":${other.slice(prefix.length)}}}`);
      const bar = await api.refreshStatusBar();
      assert.equal(bar.state, 'none');
      const lines = api.logLines();
      for (const body of [key.slice(prefix.length), other.slice(prefix.length)]) {
        for (let i = 0; i + 6 <= body.length; i++) {
          const leak = lines.find((l) => l.includes(body.slice(i, i + 6)));
          assert.equal(leak, undefined, `the log quotes "${body.slice(i, i + 6)}" of a stored key`);
        }
      }
      assert.ok(lines.some((l) => l.endsWith('stored keyring could not be parsed: not valid JSON')));
    });

    it('keeps the old key when deleting fails', async () => {
      const key = fakeKeys.apiKey();
      await storeDirectly(api, { default: key });
      api.injectSecretStorageFault({ operation: 'delete', error: new Error('D-Bus connection lost') });
      user.answerMessage = (m) => (m.options.modal ? 'Remove Key' : undefined);
      const result = (await vscode.commands.executeCommand(Commands.clearApiKey)) as KeyCommandOutcome;
      assert.equal(result.outcome, 'failed');
      api.injectSecretStorageFault(undefined);
      assert.equal(await storedKey(api), key);
    });
  });

  describe('status bar follows SecretStorage (other windows)', () => {
    it('updates when the secret changes outside the commands', async () => {
      const key = fakeKeys.apiKey();
      await storeDirectly(api, { default: key });
      const set = await waitForStatusBar(api, (s) => s.state === 'unchecked' || s.state === 'valid');
      assert.ok(set.tooltip.includes(masked(key)));
      await api.secrets.delete(SecretKeys.keyring);
      const none = await waitForStatusBar(api, (s) => s.state === 'none');
      assert.match(none.text, /no key/);
    });
  });
});
