import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { maskKey } from '../../src/core/mask';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { diagnosticsCount, until, untitledDocument } from './helpers';
import { hostSuite } from './hostSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

const DEACTIVATE = 'Deactivate this key in the organisation';
const MOVE = 'Move to ANTHROPIC_API_KEY';

/** The light bulb at a position, as VS Code asks every provider for it. */
async function lightBulb(doc: vscode.TextDocument, line: number, character: number): Promise<vscode.CodeAction[]> {
  const at = new vscode.Range(line, character, line, character);
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, at)) ?? [];
}

async function deactivateAction(doc: vscode.TextDocument, line: number, character: number): Promise<vscode.CodeAction> {
  const action = (await lightBulb(doc, line, character)).find((a) => a.title === DEACTIVATE);
  assert.ok(action?.command, `no "${DEACTIVATE}" quick fix`);
  return action;
}

async function run(action: vscode.CodeAction): Promise<unknown> {
  assert.ok(action.command);
  return vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/**
 * Issue 12 §4 from the diagnostic: the quick fix "Deactivate this key in the organisation" (API keys,
 * with an Admin key stored), a modal naming the key, status inactive through the Admin API of the
 * loopback fake, then the existing move to ANTHROPIC_API_KEY, offered and applied.
 */
describe('Quick fix: Deactivate this key in the organisation', function () {
  this.timeout(60_000);
  let api: ClaudeKeysTestApi;
  let fake: FakeAnthropicApi;
  let user: ScriptedInteraction;

  hostSuite((h) => ({ api, fake, user } = h));

  const statusUpdates = (): number => fake.requests.filter((r) => r.route === 'adminKeys' && r.method === 'POST').length;

  async function withAdminKey(options: { permission?: 'full' | 'none' } = {}): Promise<string> {
    const admin = fakeKeys.adminKey();
    fake.addAdminKey(admin, options);
    await api.services.store.setAdminKey(admin);
    return admin;
  }

  it('is listed on an API key only when an Admin key is stored, never on an Admin key finding, and listing it sends nothing', async () => {
    const key = fakeKeys.apiKey();
    const otherAdmin = fakeKeys.adminKey();
    const doc = await untitledDocument('python', `K = "${key}"\nA = "${otherAdmin}"\n`);
    await diagnosticsCount(doc.uri, 2);

    const without = (await lightBulb(doc, 0, 6)).map((a) => a.title);
    assert.ok(without.includes('Check if this key is live'), `our quick fixes are missing: ${JSON.stringify(without)}`);
    assert.ok(!without.includes(DEACTIVATE), 'offered without an Admin key');

    await withAdminKey();
    const onApiKey = await lightBulb(doc, 0, 6);
    const deactivate = onApiKey.find((a) => a.title === DEACTIVATE);
    assert.ok(deactivate, JSON.stringify(onApiKey.map((a) => a.title)));
    assert.deepEqual(deactivate.command?.arguments, [doc.uri.toString(), 0, 5]);
    assert.equal(deactivate.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.ok(!deactivate.edit, 'deactivating edits the file');

    const onAdminKey = (await lightBulb(doc, 1, 6)).map((a) => a.title);
    assert.ok(onAdminKey.some((t) => t.startsWith('Move Admin key')), JSON.stringify(onAdminKey));
    assert.ok(!onAdminKey.includes(DEACTIVATE), 'offered on an Admin key finding');
    assert.equal(fake.requests.length, 0, 'offering the quick fix called the API');
  });

  it('declined: the modal names the key and nothing is changed; accepted: the key is inactive in the organisation, then Move to ANTHROPIC_API_KEY is offered and applied', async () => {
    const admin = await withAdminKey();
    const key = fakeKeys.apiKey();
    const record = fake.addApiKey(key, { name: 'build-server', workspaceId: 'wrkspc_01build' });
    const doc = await untitledDocument('python', `import os\nK = "${key}"\n`);
    await diagnosticsCount(doc.uri, 1);
    const action = await deactivateAction(doc, 1, 6);

    assert.deepEqual(await run(action), { outcome: 'declined' });
    const asked = user.messages.find((m) => m.options.modal);
    assert.equal(asked?.message, `Deactivate the key "build-server" (${maskKey(key)}) in the organisation?`);
    assert.match(asked.options.detail ?? '', /Workspace wrkspc_01build/);
    assert.equal(statusUpdates(), 0, 'a status change was sent after No');
    assert.equal(record.status, 'active');

    // Yes to the deactivation, Move to the follow-up, Move Key to the move's own modal.
    user.answerMessage = (m) => (m.actions.includes('Deactivate Key') ? 'Deactivate Key' : m.actions.includes(MOVE) ? MOVE : m.actions.includes('Move Key') ? 'Move Key' : undefined);
    assert.deepEqual(await run(action), { outcome: 'deactivated' });
    assert.equal(record.status, 'inactive');
    const update = fake.requests.find((r) => r.method === 'POST');
    assert.equal(update?.path, `/v1/organizations/api_keys/${record.id}`);
    assert.deepEqual(JSON.parse(update.body), { status: 'inactive' });
    assert.equal(update.apiKey, admin);
    assert.ok(fake.requests.every((r) => r.apiKey === admin), 'the found key was sent');

    const offered = await until(() => user.messages.find((m) => m.actions.includes(MOVE)), 'the move was not offered');
    assert.match(offered.message, /^Deactivated "build-server"/);
    await until(() => (doc.getText().includes(key) ? undefined : true), 'the key is still in the file');
    assert.match(doc.lineAt(1).text, /ANTHROPIC_API_KEY/);
    assert.ok(user.messages.some((m) => m.options.modal && m.message.startsWith(`Move the Claude API key ${maskKey(key)}`)), 'the move did not ask first');
    assert.ok(!user.everythingShown().includes(key) && !api.logLines().join('\n').includes(key), 'the key was shown or logged');
  });

  it('a rejected Admin key (401) and one without the right (403) are explained, with Set Admin Key; nothing changes', async () => {
    const key = fakeKeys.apiKey();
    const record = fake.addApiKey(key, { name: 'laptop' });
    const doc = await untitledDocument('python', `K = "${key}"\n`);
    await diagnosticsCount(doc.uri, 1);
    user.answerMessage = (m) => (m.actions.includes('Deactivate Key') ? 'Deactivate Key' : undefined);

    // 401: the stored Admin key is unknown to the organisation (wrong or deleted).
    await api.services.store.setAdminKey(fakeKeys.adminKey());
    assert.deepEqual(await run(await deactivateAction(doc, 0, 6)), { outcome: 'failed' });
    const rejected = user.messages[user.messages.length - 1];
    assert.match(rejected.message, /rejected the stored Admin key \(401\)/);
    assert.ok(rejected.actions.includes('Set Admin Key'), JSON.stringify(rejected.actions));

    // 403 on the listing: an Admin key without the right to manage keys.
    await withAdminKey({ permission: 'none' });
    assert.deepEqual(await run(await deactivateAction(doc, 0, 6)), { outcome: 'failed' });
    const refused = user.messages[user.messages.length - 1];
    assert.match(refused.message, /^Looking the key up in the organisation: the stored Admin key may not manage the organisation's API keys \(403\)/);
    assert.ok(refused.actions.includes('Set Admin Key'));

    // 403 on the status change itself, after the listing and the user's yes.
    await withAdminKey();
    user.answerMessage = (m) => {
      if (m.actions.includes('Deactivate Key')) {
        fake.enqueueFault('adminKeys', { kind: 'status', status: 403 });
        return 'Deactivate Key';
      }
      return undefined;
    };
    assert.deepEqual(await run(await deactivateAction(doc, 0, 6)), { outcome: 'failed' });
    const denied = user.messages[user.messages.length - 1];
    assert.equal(denied.message.startsWith(`Deactivating ${maskKey(key)}: the stored Admin key may not manage`), true, denied.message);
    assert.equal(record.status, 'active');
    assert.ok(!user.messages.some((m) => m.actions.includes(MOVE)), 'the move was offered after a failure');
  });
});
