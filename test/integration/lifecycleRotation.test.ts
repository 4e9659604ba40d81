import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, SecretKeys, Urls } from '../../src/constants';
import type { KeyCommandOutcome } from '../../src/keys/keyCommands';
import type { RotationOutcome } from '../../src/keys/rotation';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { everythingPersisted, keyring, metadata, storeDirectly, storedKey } from './helpers';
import { lifecycleSuite, masked } from './lifecycleSuite';
import { ScriptedInteraction, type RecordedMessage } from './scriptedInteraction';

/** Rotate API Key and Set Admin Key. */
describe('Key lifecycle against the fake Claude API', () => {
  let api: ClaudeKeysTestApi, user: ScriptedInteraction, fake: FakeAnthropicApi;
  const lastMessage = lifecycleSuite((h) => ({ api, user, fake } = h));

  describe('Rotate API Key', () => {
    const rotate = async (): Promise<RotationOutcome> => (await vscode.commands.executeCommand(Commands.rotateApiKey)) as RotationOutcome;
    const startRotation = (m: RecordedMessage): string | undefined => (m.options.modal ? 'I Have a New Key' : undefined);

    it('proves the new key before replacing the old one, then says how to disable the old key', async () => {
      const oldKey = fakeKeys.apiKey();
      const newKey = fakeKeys.apiKey();
      fake.addApiKey(oldKey);
      fake.addApiKey(newKey);
      await storeDirectly(api, { default: oldKey });
      user.answerMessage = (m) => (m.options.modal ? 'Open Console and Continue' : undefined);
      user.type(newKey);
      const outcome = await rotate();
      assert.equal(outcome.outcome, 'rotated');
      assert.equal(outcome.oldKey, 'userMustDisable');
      assert.equal(await storedKey(api), newKey);
      assert.deepEqual(user.openedUrls, [Urls.consoleKeys]);
      assert.equal(user.inputBoxes[0].options.password, true);
      // The new key was checked before it was stored.
      assert.equal(fake.requests.filter((r) => r.apiKey === newKey && r.path === '/v1/models').length, 1);
      const recorded = metadata(api);
      assert.equal(recorded?.source, 'rotation');
      assert.ok(recorded?.rotatedAt && Date.now() - Date.parse(recorded.rotatedAt) < 60_000);
      assert.equal(recorded?.validation?.state, 'valid');
      const final = lastMessage();
      assert.match(final.message, new RegExp(`Rotated: ${masked(newKey)} is now your key\\. The old key ${masked(oldKey)} still works`));
      assert.match(final.message, /Settings → API keys, find the key ending in/);
      assert.deepEqual(final.actions, ['Open Console', 'Set Admin Key']);
      const shown = user.everythingShown();
      assert.ok(!shown.includes(oldKey) && !shown.includes(newKey));
      assert.ok(!everythingPersisted(api).includes(newKey));
    });

    it('refuses the key being replaced', async () => {
      const oldKey = fakeKeys.apiKey();
      await storeDirectly(api, { default: oldKey });
      user.answerMessage = startRotation;
      user.type(oldKey);
      const outcome = await rotate();
      assert.equal(outcome.outcome, 'cancelled');
      assert.match(user.inputBoxes[0].validation[0], /This is the key you are replacing/);
      assert.equal(await storedKey(api), oldKey);
    });

    it('accepts a pasted new key with quotes and newlines around it', async () => {
      const oldKey = fakeKeys.apiKey();
      const newKey = fakeKeys.apiKey();
      fake.addApiKey(newKey);
      await storeDirectly(api, { default: oldKey });
      user.answerMessage = startRotation;
      user.type(`\n "${newKey}" \r\n`);
      assert.equal((await rotate()).outcome, 'rotated');
      assert.equal(await storedKey(api), newKey);
    });

    it('a revoked new key: nothing changes, the old key stays and is named', async () => {
      const oldKey = fakeKeys.apiKey();
      const newKey = fakeKeys.apiKey();
      fake.addApiKey(newKey);
      fake.revokeKey(newKey);
      await storeDirectly(api, { default: oldKey });
      user.answerMessage = startRotation;
      user.type(newKey);
      const outcome = await rotate();
      assert.equal(outcome.outcome, 'failed');
      assert.equal(outcome.oldKey, 'kept');
      assert.equal(await storedKey(api), oldKey);
      assert.match(lastMessage().message, /Checking the new key .*401 unauthorized.*Nothing was changed: .* is still your key/);
    });

    it('network drop while checking the new key: the old key stays', async () => {
      const oldKey = fakeKeys.apiKey();
      const newKey = fakeKeys.apiKey();
      fake.addApiKey(newKey);
      fake.enqueueFault('models', { kind: 'drop' });
      await storeDirectly(api, { default: oldKey });
      user.answerMessage = startRotation;
      user.type(newKey);
      assert.equal((await rotate()).outcome, 'failed');
      assert.equal(await storedKey(api), oldKey);
      assert.match(lastMessage().message, /connection dropped/);
    });

    it('SecretStorage store failing mid-rotation: old key intact, clear error', async () => {
      const oldKey = fakeKeys.apiKey();
      const newKey = fakeKeys.apiKey();
      fake.addApiKey(newKey);
      await storeDirectly(api, { default: oldKey });
      api.injectSecretStorageFault({ operation: 'store', error: new Error('Cannot create an item in a locked collection') });
      user.answerMessage = startRotation;
      user.type(newKey);
      const outcome = await rotate();
      api.injectSecretStorageFault(undefined);
      assert.equal(outcome.outcome, 'failed');
      assert.equal(await storedKey(api), oldKey);
      const error = user.messages.find((m) => m.severity === 'error');
      assert.ok(error);
      assert.match(error.message, /keyring/);
      assert.match(error.message, new RegExp(`The old key ${masked(oldKey)} is unchanged`));
    });

    it('with an Admin key: finds the old key by its hint and marks it inactive', async () => {
      const oldKey = fakeKeys.apiKey();
      const newKey = fakeKeys.apiKey();
      const adminKey = fakeKeys.adminKey();
      const oldRecord = fake.addApiKey(oldKey, { name: 'laptop' });
      fake.addApiKey(fakeKeys.apiKey(), { name: 'other' });
      fake.addApiKey(newKey, { name: 'laptop-2' });
      fake.addAdminKey(adminKey);
      await storeDirectly(api, { default: oldKey });
      await api.secrets.store(SecretKeys.adminKey, adminKey);
      user.answerMessage = (m) => (m.options.modal ? 'I Have a New Key' : m.actions.includes('Deactivate Old Key') ? 'Deactivate Old Key' : undefined);
      user.type(newKey);
      const outcome = await rotate();
      assert.equal(outcome.outcome, 'rotated');
      assert.equal(outcome.oldKey, 'deactivated');
      assert.equal(fake.keyRecords().find((r) => r.id === oldRecord.id)?.status, 'inactive');
      assert.equal(fake.keyRecords().find((r) => r.name === 'other')?.status, 'active');
      const ask = user.messages.find((m) => m.actions.includes('Deactivate Old Key'));
      assert.ok(ask, 'no deactivate prompt');
      assert.ok(ask.message.includes('"laptop"'));
      // The Admin API's hint shows three characters more than the masked form: only the masked form is shown.
      assert.ok(ask.message.includes(`"laptop" (${masked(oldKey)})`), ask.message);
      const prefix = masked(oldKey).split('…')[0];
      assert.ok(!ask.message.includes(oldRecord.partialKeyHint), ask.message);
      assert.ok(!ask.message.includes(oldKey.slice(0, prefix.length + 3)), ask.message);
      assert.ok(!user.everythingShown().includes(oldRecord.partialKeyHint));
      assert.match(lastMessage().message, /is now inactive at Anthropic/);
      const update = fake.requests.find((r) => r.method === 'POST');
      assert.equal(update?.apiKey, adminKey);
      assert.equal(update?.path, `/v1/organizations/api_keys/${oldRecord.id}`);
      assert.deepEqual(JSON.parse(update?.body ?? '{}'), { status: 'inactive' });
    });

    for (const [status, permission] of [
      [401, 'unknown admin key'],
      [403, 'admin key without permission'],
    ] as const) {
      it(`Admin API ${status} (${permission}) when deactivating: rotation still counts, user told what to do`, async () => {
        const oldKey = fakeKeys.apiKey();
        const newKey = fakeKeys.apiKey();
        const adminKey = fakeKeys.adminKey();
        fake.addApiKey(oldKey);
        fake.addApiKey(newKey);
        if (status === 403) {
          fake.addAdminKey(adminKey, { permission: 'none' });
        }
        await storeDirectly(api, { default: oldKey });
        await api.secrets.store(SecretKeys.adminKey, adminKey);
        user.answerMessage = startRotation;
        user.type(newKey);
        const outcome = await rotate();
        assert.equal(outcome.outcome, 'rotated');
        assert.equal(outcome.oldKey, 'deactivationFailed');
        assert.equal(await storedKey(api), newKey);
        const final = lastMessage();
        assert.match(final.message, new RegExp(`Rotated: ${masked(newKey)} is now your key`));
        assert.match(final.message, new RegExp(status === 401 ? '401 unauthorized' : 'no permission'));
        assert.match(final.message, /In the Console, open Settings → API keys/);
        assert.deepEqual(final.actions, ['Open Console']);
      });
    }

    it('two windows rotating at once: last write wins and both windows show the same state', async () => {
      const oldKey = fakeKeys.apiKey();
      const keyA = fakeKeys.apiKey();
      const keyB = fakeKeys.apiKey();
      for (const k of [oldKey, keyA, keyB]) {
        fake.addApiKey(k);
      }
      await storeDirectly(api, { default: oldKey });
      const otherUser = new ScriptedInteraction();
      const twin = api.createWindowTwin(otherUser);
      try {
        user.answerMessage = startRotation;
        otherUser.answerMessage = startRotation;
        user.type(keyA);
        otherUser.type(keyB);
        const [a, b] = await Promise.all([api.services.rotation.rotate(), twin.services.rotation.rotate()]);
        assert.equal(a.outcome, 'rotated');
        assert.equal(b.outcome, 'rotated');
        const final = await storedKey(api);
        assert.ok(final === keyA || final === keyB, 'neither rotation landed');
        assert.equal((await keyring(api)).keys.default, final);
        const here = await api.refreshStatusBar();
        const there = await twin.services.statusBar.refresh();
        assert.equal(here.text, there.text);
        assert.equal(here.tooltip, there.tooltip);
        assert.ok(here.tooltip.includes(masked(final)));
      } finally {
        twin.dispose();
      }
    });

    it('with no key: says there is nothing to rotate', async () => {
      const outcome = await rotate();
      assert.equal(outcome.outcome, 'noKey');
      assert.deepEqual(lastMessage().actions, ['Set API Key']);
    });
  });

  describe('Set Admin Key', () => {
    const setAdmin = async (): Promise<KeyCommandOutcome> => (await vscode.commands.executeCommand(Commands.setAdminKey)) as KeyCommandOutcome;

    it('refuses a normal API key and stores a working admin key after a live check', async () => {
      user.type(fakeKeys.apiKey());
      assert.equal((await setAdmin()).outcome, 'cancelled');
      assert.match(user.inputBoxes[0].validation[0], /This is a normal API key/);
      const adminKey = fakeKeys.adminKey();
      fake.addAdminKey(adminKey);
      fake.addApiKey(fakeKeys.apiKey());
      user.type(adminKey);
      const result = await setAdmin();
      assert.equal(result.outcome, 'stored');
      assert.equal(await api.secrets.get(SecretKeys.adminKey), adminKey);
      assert.match(lastMessage().message, /sees 1 active API keys/);
      assert.ok(!user.everythingShown().includes(adminKey));
      assert.equal(((await vscode.commands.executeCommand(Commands.clearAdminKey)) as KeyCommandOutcome).outcome, 'cleared');
      assert.equal(await api.secrets.get(SecretKeys.adminKey), undefined);
    });

    it('does not store an admin key the API rejects', async () => {
      user.type(fakeKeys.adminKey());
      const result = await setAdmin();
      assert.equal(result.outcome, 'failed');
      assert.match(lastMessage().message, /401 unauthorized.*The Admin key was not stored/);
      assert.equal(await api.secrets.get(SecretKeys.adminKey), undefined);
    });
  });
});
