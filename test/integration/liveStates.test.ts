import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { maskKey } from '../../src/core/mask';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { until } from './helpers';
import { hostSuite } from './hostSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

/** The workspace scan's Check Keys Live: the CLI's three states, only after the user asks twice. */
describe('Workspace scan: live, revoked and unknown, on request only', function () {
  this.timeout(60_000);
  let api: ClaudeKeysTestApi;
  let fake: FakeAnthropicApi;
  let user: ScriptedInteraction;
  let dir: string;
  let folder: vscode.Uri;
  hostSuite((h) => ({ api, fake, user, folder } = h));

  before(() => {
    dir = fs.mkdtempSync(path.join(folder.fsPath, 'live-states-'));
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('after a scan the user may check the keys found: each once, reported as live, revoked or unknown like --verify', async () => {
    const live = fakeKeys.apiKey();
    const revoked = fakeKeys.apiKey();
    const admin = fakeKeys.adminKey();
    fake.addApiKey(live);
    fake.addAdminKey(admin);
    fs.writeFileSync(path.join(dir, 'a.py'), `A = "${live}"\nB = "${revoked}"\n`);
    fs.writeFileSync(path.join(dir, 'b.py'), `A = "${live}"\nC = "${admin}"\n`);

    await api.scan.run();
    const offered = await until(() => user.messages.find((m) => m.actions.includes('Check Keys Live')), 'Check Keys Live was not offered');
    assert.ok(/hard-coded Claude keys/.test(offered.message));
    assert.equal(fake.requests.length, 0, 'a key was sent before the user asked');

    // Declined at the confirmation: still nothing sent.
    assert.equal((await api.scan.checkFound()).outcome, 'declined');
    assert.equal(fake.requests.length, 0);

    user.answerMessage = (m) => (m.options.modal && m.actions.includes('Check Keys') ? 'Check Keys' : undefined);
    // The admin key's check fails with a 500 once: unknown, not revoked.
    fake.enqueueFault('adminKeys', { kind: 'status', status: 500 });
    const summary = await api.scan.checkFound();
    assert.equal(summary.outcome, 'checked');
    assert.equal(summary.verdicts.get(maskKey(live))?.state, 'live');
    assert.deepEqual(summary.verdicts.get(maskKey(revoked)), { state: 'revoked', detail: 'HTTP 401' });
    assert.deepEqual(summary.verdicts.get(maskKey(admin)), { state: 'unknown', detail: 'HTTP 500' });
    const ours = [live, revoked, admin];
    const sent = fake.requests.filter((r) => r.apiKey !== undefined && ours.includes(r.apiKey));
    assert.equal(sent.length, 3, 'each distinct key is checked once, without retries');
    const report = user.messages[user.messages.length - 1].message;
    assert.match(report, /^Keys checked: \d+ live, \d+ revoked, \d+ unknown\./);
    assert.ok(report.includes(maskKey(live)) && report.includes(maskKey(revoked)) && report.includes(maskKey(admin)), report);
    for (const key of ours) {
      assert.ok(!user.everythingShown().includes(key), 'a key was shown');
      assert.ok(!api.logLines().join('\n').includes(key), 'a key was logged');
    }
  });

  it('an encoded key is checked as the key it decodes to, not as its encoded text', async () => {
    const live = fakeKeys.apiKey();
    fake.addApiKey(live);
    // A Kubernetes Secret's data: the key is only there in base64.
    fs.writeFileSync(path.join(dir, 'secret.yaml'), `apiVersion: v1\nkind: Secret\ndata:\n  ANTHROPIC_API_KEY: ${Buffer.from(live).toString('base64')}\n`);
    await api.scan.run();
    user.answerMessage = (m) => (m.options.modal && m.actions.includes('Check Keys') ? 'Check Keys' : undefined);
    const summary = await api.scan.checkFound();
    assert.equal(summary.outcome, 'checked');
    assert.equal(summary.verdicts.get(maskKey(live))?.state, 'live', JSON.stringify([...summary.verdicts]));
    assert.equal(fake.requests.filter((r) => r.apiKey === live).length, 1, 'the decoded key was checked once');
    assert.ok(!user.everythingShown().includes(live), 'the key was shown');
  });
});

