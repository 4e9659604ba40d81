import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { API_KEY_ENV_VAR, Commands, SecretKeys, Settings, StateKeys, Urls } from '../../src/constants';
import type { KeyCommandOutcome } from '../../src/keys/keyCommands';
import type { ValidationReport } from '../../src/keys/keyValidation';
import type { RotationOutcome } from '../../src/keys/rotation';
import type { MigrationOutcome } from '../../src/keys/settingsMigration';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys, randomBody } from '../fakes/keys';
import { closedPort, everythingPersisted, fakeApi, keyring, metadata, settle, storeDirectly, storedKey, until, waitForStatusBar } from './helpers';
import { hostSuite } from './hostSuite';
import { ScriptedInteraction, type RecordedMessage } from './scriptedInteraction';

const masked = (key: string): string => `sk-ant-api03-…${key.slice(-4)}`;
const MODELS = [
  { id: 'claude-test-a', display_name: 'Claude Test A', created_at: '2026-01-01T00:00:00Z' },
  { id: 'claude-test-b', display_name: 'Claude Test B', created_at: '2026-02-01T00:00:00Z' },
  { id: 'claude-test-c', display_name: 'Claude Test C', created_at: '2026-03-01T00:00:00Z' },
];

describe('Key lifecycle against the fake Claude API', () => {
  let api: ClaudeKeysTestApi;
  let user: ScriptedInteraction;
  let fake: FakeAnthropicApi;

  hostSuite((h) => ({ api, user, fake } = h));

  beforeEach(() => {
    fake.setModels(MODELS);
    api.services.client.checkTimeoutMs = 15_000;
  });

  const validate = async (): Promise<ValidationReport> => (await vscode.commands.executeCommand(Commands.validateApiKey)) as ValidationReport;
  const lastMessage = (): RecordedMessage => user.messages[user.messages.length - 1];

  describe('Validate API Key', () => {
    it('a live key: says how many models it can see; status bar "key valid"; the key went only to the configured host', async () => {
      const key = fakeKeys.apiKey();
      fake.addApiKey(key);
      await storeDirectly(api, { default: key });
      const report = await validate();
      assert.equal(report.state, 'valid');
      assert.equal(report.modelCount, 3);
      assert.match(lastMessage().message, new RegExp(`${masked(key)} works: it can see 3 models`));
      assert.equal(metadata(api)?.validation, undefined, 'metadata is only kept for keys set through Claude Keys');
      const requests = fake.requests.filter((r) => r.apiKey === key);
      assert.equal(requests.length, 1);
      assert.equal(requests[0].path, '/v1/models');
      assert.equal(requests[0].authScheme, 'bearer');
      assert.ok(requests[0].headers['anthropic-version']);
      assert.ok(!user.everythingShown().includes(key));
    });

    it('records the result per key and the status bar follows: valid, then invalid after revocation', async () => {
      const key = fakeKeys.apiKey();
      fake.addApiKey(key);
      user.type(key);
      await vscode.commands.executeCommand(Commands.setApiKey);
      await waitForStatusBar(api, (s) => s.state === 'valid');
      fake.revokeKey(key);
      const report = await validate();
      assert.equal(report.state, 'invalid');
      assert.equal(metadata(api)?.validation?.state, 'invalid');
      assert.equal(metadata(api)?.validation?.problem, 'invalidKey');
      const bar = await waitForStatusBar(api, (s) => s.state === 'invalid');
      assert.match(bar.text, /key invalid/);
    });

    const cases: ReadonlyArray<{
      name: string;
      arrange: (key: string) => void;
      state: string;
      message: RegExp;
      actions: string[];
    }> = [
      {
        name: '401 unknown or revoked key → invalid; offers Rotate, Set and the Console',
        arrange: () => undefined,
        state: 'invalid',
        message: /rejected the key \(401 unauthorized\)\. It is wrong, disabled or deleted/,
        actions: ['Rotate Key', 'Set API Key', 'Open Console'],
      },
      {
        name: '403 no permission → valid, no access (not invalid); explains the workspace',
        arrange: (key) => void fake.addApiKey(key, { permission: 'none' }),
        state: 'noAccess',
        message: /valid but has no permission for this \(403\)/,
        actions: ['Open Console'],
      },
      {
        name: '429 → rate limited, with when to retry; not retried by the check',
        arrange: (key) => {
          fake.addApiKey(key);
          fake.enqueueFault('models', { kind: 'rateLimit', retryAfterSeconds: 42 });
        },
        state: 'unchecked',
        message: /rate limit exceeded \(429\)\. Try again in 42 s/,
        actions: ['Open Limits'],
      },
      {
        name: 'spend-cap 429 → monthly limit, resets on the 1st (UTC), retrying will not help',
        arrange: (key) => {
          fake.addApiKey(key);
          fake.enqueueFault('models', { kind: 'spendCap' });
        },
        state: 'unchecked',
        message: /monthly spend limit\. Requests fail until it resets on \d{4}-\d{2}-01 \(00:00 UTC\)/,
        actions: ['Open Limits'],
      },
      {
        name: '529 → overloaded, not your key; links the status page',
        arrange: (key) => {
          fake.addApiKey(key);
          fake.enqueueFault('models', { kind: 'status', status: 529 });
        },
        state: 'unchecked',
        message: /Claude is overloaded right now \(529\)/,
        actions: ['Status Page'],
      },
      {
        name: '500 → the API is having trouble; links the status page',
        arrange: (key) => {
          fake.addApiKey(key);
          fake.enqueueFault('models', { kind: 'status', status: 500 });
        },
        state: 'unchecked',
        message: /internal error \(500\)/,
        actions: ['Status Page'],
      },
      {
        name: 'dropped connection → offline, naming the host it tried',
        arrange: (key) => {
          fake.addApiKey(key);
          fake.enqueueFault('models', { kind: 'drop' });
        },
        state: 'offline',
        message: /could not reach 127\.0\.0\.1:\d+: the connection dropped/,
        actions: ['Open Settings'],
      },
      {
        name: 'no answer in time → offline, time-out message; a custom host gets Open Settings, not Anthropic\'s status page',
        arrange: (key) => {
          fake.addApiKey(key);
          fake.enqueueFault('models', { kind: 'hang' });
          api.services.client.checkTimeoutMs = 400;
        },
        state: 'offline',
        message: /127\.0\.0\.1:\d+ did not answer in time/,
        actions: ['Open Settings'],
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const key = fakeKeys.apiKey();
        c.arrange(key);
        await storeDirectly(api, { default: key });
        const report = await validate();
        assert.equal(report.state, c.state);
        const shown = lastMessage();
        assert.match(shown.message, c.message);
        assert.ok(shown.message.startsWith(`Checking ${masked(key)}`), shown.message);
        assert.deepEqual(shown.actions, c.actions);
        assert.equal(fake.requests.filter((r) => r.path === '/v1/models').length, 1, 'validation retried or polled');
        assert.ok(!user.everythingShown().includes(key));
      });
    }

    it('connection refused (nothing listening) → offline', async () => {
      const key = fakeKeys.apiKey();
      const port = await closedPort();
      await vscode.workspace.getConfiguration(Settings.section).update(Settings.apiBaseUrl, `http://127.0.0.1:${port}`, vscode.ConfigurationTarget.Global);
      try {
        // Set checks at once; the status bar then says offline.
        user.type(key);
        const set = (await vscode.commands.executeCommand(Commands.setApiKey)) as KeyCommandOutcome;
        assert.equal(set.validation?.state, 'offline');
        const report = await validate();
        assert.equal(report.state, 'offline');
        assert.match(lastMessage().message, new RegExp(`could not reach 127\\.0\\.0\\.1:${port}: the connection was refused`));
        assert.equal((await waitForStatusBar(api, (s) => s.state === 'offline')).state, 'offline');
      } finally {
        await fakeApi();
      }
    });

    it('no key stored → says so and offers Set API Key', async () => {
      const report = await validate();
      assert.equal(report.state, 'noKey');
      assert.match(lastMessage().message, /no Claude API key is stored/);
      assert.deepEqual(lastMessage().actions, ['Set API Key']);
      assert.equal(fake.requests.length, 0);
    });

    it('claudeKeys.apiBaseUrl: application scope only; plain http to another host is warned; a non-URL is refused', async () => {
      const config = vscode.workspace.getConfiguration(Settings.section);
      await assert.rejects(Promise.resolve(config.update(Settings.apiBaseUrl, 'https://evil.example', vscode.ConfigurationTarget.Workspace)));
      try {
        await config.update(Settings.apiBaseUrl, 'http://proxy.example:8080', vscode.ConfigurationTarget.Global);
        assert.equal(await api.baseUrl.check(), 'insecure');
        assert.match(lastMessage().message, /sends your Claude API key unencrypted to http:\/\/proxy\.example:8080/);
        await config.update(Settings.apiBaseUrl, 'not a url', vscode.ConfigurationTarget.Global);
        assert.equal(await api.baseUrl.check(), 'invalid');
        const key = fakeKeys.apiKey();
        await storeDirectly(api, { default: key });
        const report = await validate();
        assert.equal(report.problem?.kind, 'badBaseUrl');
        await config.update(Settings.apiBaseUrl, 'http://localhost:1234', vscode.ConfigurationTarget.Global);
        assert.equal(await api.baseUrl.check(), 'ok');
      } finally {
        await fakeApi();
      }
    });

    it('claudeKeys.apiBaseUrl: a password, query string or fragment in the URL is never shown or logged; a key in it is masked', async () => {
      const config = vscode.workspace.getConfiguration(Settings.section);
      const [password, query, fragment, garbled] = Array.from({ length: 4 }, () => randomBody(24).replace(/[-_]/g, 'x'));
      const key = fakeKeys.apiKey();
      try {
        await config.update(Settings.apiBaseUrl, `https://user:${password}@proxy.example/v1?token=${query}#${fragment}`, vscode.ConfigurationTarget.Global);
        assert.equal(await api.baseUrl.check(), 'invalid');
        assert.match(lastMessage().message, /claudeKeys\.apiBaseUrl \("https:\/\/proxy\.example\/v1"\) is not an http\(s\) URL without credentials/);

        await config.update(Settings.apiBaseUrl, `http://proxy.example:8080/${key}/?key=${query}`, vscode.ConfigurationTarget.Global);
        assert.equal(await api.baseUrl.check(), 'insecure');
        assert.ok(lastMessage().message.includes(`unencrypted to http://proxy.example:8080/${masked(key)}/.`), lastMessage().message);

        await config.update(Settings.apiBaseUrl, `proxy.example ${garbled}`, vscode.ConfigurationTarget.Global);
        assert.equal(await api.baseUrl.check(), 'invalid');
        assert.match(lastMessage().message, /claudeKeys\.apiBaseUrl \(a value that is not a URL\)/);

        const said = user.everythingShown() + api.logLines().join('\n');
        for (const secret of [password, query, fragment, garbled, key]) {
          assert.ok(!said.includes(secret), `"${secret}" was shown or logged`);
        }
        assert.ok(api.logLines().some((l) => l.includes('claudeKeys.apiBaseUrl is insecure: http://proxy.example:8080/')));
      } finally {
        await fakeApi();
      }
    });

    it('reads the key per request: a rotated key is used at once by an existing client', async () => {
      const first = fakeKeys.apiKey();
      const second = fakeKeys.apiKey();
      fake.addApiKey(first);
      fake.addApiKey(second);
      await storeDirectly(api, { default: first });
      const client = api.services.client.forActiveKey({ maxRetries: 0 });
      await client.models.list();
      await storeDirectly(api, { default: second });
      await client.models.list();
      assert.deepEqual(
        fake.requests.map((r) => r.apiKey),
        [first, second],
      );
    });
  });

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
