import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants';
import { maskKey } from '../../src/core/mask';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { diagnosticsCount, untitledDocument } from './helpers';
import { hostSuite } from './hostSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

/** Our hover on a found key, through VS Code's own hover command (every provider runs). */
async function ourHover(doc: vscode.TextDocument, line: number, character: number): Promise<string | undefined> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, character))) ?? [];
  const texts = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)));
  // As it reads: MarkdownString.appendText escapes spaces (&nbsp;) and punctuation (\().
  return texts.find((t) => t.includes('Claude Keys'))?.replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!])/g, '$1');
}

/**
 * Which key is it (issue 12 §4): with an Admin key stored, the hover on a found key names the
 * organisation's key (by partial_key_hint), and its link deactivates it after a modal naming it.
 */
describe('Key identity in the hover, and Deactivate this key in the organisation', function () {
  this.timeout(60_000);
  let api: ClaudeKeysTestApi;
  let fake: FakeAnthropicApi;
  let user: ScriptedInteraction;

  hostSuite((h) => ({ api, fake, user } = h));

  const listings = (): number => fake.requests.filter((r) => r.route === 'adminKeys' && r.method === 'GET').length;

  it('without an Admin key the hover sends nothing and says how to get the answer', async () => {
    const key = fakeKeys.apiKey();
    const doc = await untitledDocument('python', `K = "${key}"\n`);
    await diagnosticsCount(doc.uri, 1);
    const hover = await ourHover(doc, 0, 10);
    assert.ok(hover, 'no Claude Keys hover');
    assert.match(hover, /Set an Admin key/);
    assert.equal(fake.requests.length, 0);
  });

  it('with an Admin key: name, workspace, status, creator and date of the organisation\'s key; other keys are not in the organisation; the listing is cached', async () => {
    const admin = fakeKeys.adminKey();
    fake.addAdminKey(admin);
    await api.services.store.setAdminKey(admin);
    const key = fakeKeys.apiKey();
    const record = fake.addApiKey(key, { name: 'ci-deploy', workspaceId: 'wrkspc_01ci' });
    const stranger = fakeKeys.apiKey();
    const doc = await untitledDocument('python', `K = "${key}"\nS = "${stranger}"\n`);
    await diagnosticsCount(doc.uri, 2);

    const hover = await ourHover(doc, 0, 10);
    assert.ok(hover, 'no Claude Keys hover');
    assert.ok(hover.includes(maskKey(key)), hover);
    assert.ok(hover.includes(`"ci-deploy" (workspace wrkspc_01ci), status active, created by user_01`), hover);
    assert.ok(hover.includes(record.createdAt), hover);
    assert.match(hover, /Deactivate this key in the organisation/);
    assert.ok(!hover.includes(key), 'the hover holds the key');

    const other = await ourHover(doc, 1, 10);
    assert.ok(other && /not one of your organisation's keys/.test(other), other);
    assert.equal(listings(), 1, 'the key list was fetched more than once within minutes');
    // The found keys were only compared with hints: none was sent.
    assert.ok(fake.requests.every((r) => r.apiKey === admin), 'a found key was sent to the API');
  });

  it('reads every page of the organisation\'s key list: a key on page 3 (two keys a page) is named in the hover', async () => {
    const admin = fakeKeys.adminKey();
    fake.addAdminKey(admin);
    await api.services.store.setAdminKey(admin);
    const key = fakeKeys.apiKey();
    // Newest first: the five keys added after it fill pages 1 to 3.
    fake.addApiKey(key, { name: 'oldest', workspaceId: 'wrkspc_01old' });
    for (let i = 0; i < 5; i++) {
      fake.addApiKey(fakeKeys.apiKey(), { name: `newer ${i}` });
    }
    fake.adminKeysPageSize = 2;
    const doc = await untitledDocument('python', `K = "${key}"\n`);
    await diagnosticsCount(doc.uri, 1);
    const hover = await ourHover(doc, 0, 10);
    assert.ok(hover?.includes('"oldest" (workspace wrkspc_01old), status active'), hover);
    const pages = fake.requests.filter((r) => r.route === 'adminKeys');
    const records = fake.keyRecords();
    assert.deepEqual(pages.map((r) => r.query.after_id), [undefined, records[1].id, records[3].id]);
  });

  it('Deactivate: a modal names the key; on yes the organisation\'s key becomes inactive and moving the code is offered; on no nothing changes', async () => {
    const admin = fakeKeys.adminKey();
    fake.addAdminKey(admin);
    await api.services.store.setAdminKey(admin);
    const key = fakeKeys.apiKey();
    const record = fake.addApiKey(key, { name: 'laptop' });
    const doc = await untitledDocument('python', `K = "${key}"\n`);
    await diagnosticsCount(doc.uri, 1);
    const hover = await ourHover(doc, 0, 10);
    const link = /\(command:claudeKeys\.deactivateDetectedKey\?([^)]+)\)/.exec(hover ?? '');
    assert.ok(link, `no deactivate link in ${hover}`);
    const args = JSON.parse(decodeURIComponent(link[1])) as unknown[];

    assert.deepEqual(await vscode.commands.executeCommand(Commands.deactivateDetectedKey, ...args), { outcome: 'declined' });
    assert.equal(fake.keyRecords().find((r) => r.id === record.id)?.status, 'active');
    const asked = user.messages.find((m) => m.options.modal);
    assert.equal(asked?.message, `Deactivate the key "laptop" (${maskKey(key)}) in the organisation?`);

    user.answerMessage = (m) => (m.options.modal && m.actions.includes('Deactivate Key') ? 'Deactivate Key' : undefined);
    assert.deepEqual(await vscode.commands.executeCommand(Commands.deactivateDetectedKey, ...args), { outcome: 'deactivated' });
    assert.equal(fake.keyRecords().find((r) => r.id === record.id)?.status, 'inactive');
    const done = user.messages[user.messages.length - 1];
    assert.match(done.message, /^Deactivated "laptop"/);
    assert.deepEqual(done.actions, ['Move to ANTHROPIC_API_KEY']);

    // The hover now says so, and offers no second deactivation.
    const after = await ourHover(doc, 0, 10);
    assert.ok(after && /status inactive/.test(after) && !/Deactivate this key/.test(after), after);
    assert.ok(!user.everythingShown().includes(key) && !api.logLines().join('\n').includes(key), 'the key was shown or logged');
  });
});
