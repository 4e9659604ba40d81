import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/constants';
import type { KeyCommandOutcome } from '../../src/keys/keyCommands';
import type { ValidationReport } from '../../src/keys/keyValidation';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys, randomBody } from '../fakes/keys';
import { closedPort, fakeApi, metadata, storeDirectly, waitForStatusBar } from './helpers';
import { lifecycleSuite, masked } from './lifecycleSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

/** Validate API Key: live, invalid, offline and misconfigured keys. */
describe('Key lifecycle against the fake Claude API', () => {
  let api: ClaudeKeysTestApi, user: ScriptedInteraction, fake: FakeAnthropicApi;
  const lastMessage = lifecycleSuite((h) => ({ api, user, fake } = h));
  const validate = async (): Promise<ValidationReport> => (await vscode.commands.executeCommand(Commands.validateApiKey)) as ValidationReport;

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
});
