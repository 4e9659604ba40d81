import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/constants';
import type { HostToWebview, PromptSettings } from '../../src/shared/promptProtocol';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { hostileMessage } from '../fakes/panelMessageArbitraries';
import { activateExtension, fakeApi, resetState, settle, storeDirectly } from './helpers';
import { ScriptedInteraction } from './scriptedInteraction';

const SETTINGS: PromptSettings = { model: 'claude-haiku-4-5-20251001', system: '', maxTokens: 200, temperature: 0 };
const BURST = 4_000;
const ONE_BY_ONE = 1_000;

/**
 * Issue 10, "webview protocol fuzz", in the real extension host: thousands of random and malformed
 * messages go into the open panel's message handler (the one its webview.onDidReceiveMessage calls),
 * fired the same way, without awaiting. Nothing may happen: no crash, no API request, no unhandled
 * rejection, nothing posted back, no editor, no clipboard write, no question to the user; and the
 * panel still answers a valid prompt afterwards.
 */
describe('Webview protocol fuzz: hostile messages into the real panel host', function () {
  this.timeout(120_000);
  let api: ClaudeKeysTestApi;
  let fake: FakeAnthropicApi;
  let user: ScriptedInteraction;
  let posted: HostToWebview[];
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };

  before(async () => {
    api = await activateExtension();
    fake = await fakeApi();
    await resetState(api);
    user = new ScriptedInteraction();
    api.setInteraction(user);
    const key = fakeKeys.apiKey();
    fake.addApiKey(key);
    await storeDirectly(api, { default: key });
    fake.setReply({ text: 'Still here.' });
    // The real page loads and says ready; the host answers with init (and fetches the model list)
    // now, so that nothing the page itself sends falls into the fuzz's "nothing was posted" window.
    const startup: HostToWebview[] = [];
    api.promptPanel.tap = (m) => startup.push(m);
    api.promptPanel.show();
    for (let waited = 0; !startup.some((m) => m.type === 'init') && waited < 20_000; waited += 100) {
      await settle(100);
    }
    if (!startup.some((m) => m.type === 'init')) {
      await api.promptPanel.receive({ type: 'ready' });
    }
    await settle(500);
    process.on('unhandledRejection', onRejection);
  });

  beforeEach(async () => {
    await vscode.env.clipboard.writeText('clipboard before the fuzz');
    posted = [];
    api.promptPanel.tap = (m) => posted.push(m);
  });

  afterEach(() => {
    api.promptPanel.tap = undefined;
  });

  after(async () => {
    process.off('unhandledRejection', onRejection);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetState(api);
  });

  /** Everything that must not have changed, taken before and compared after. */
  async function sideEffects(): Promise<Record<string, unknown>> {
    return {
      apiRequests: fake.requests.length,
      clipboard: await vscode.env.clipboard.readText(),
      editors: vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()),
      documents: vscode.workspace.textDocuments.length,
      messagesToUser: user.messages.length,
      inputBoxes: user.inputBoxes.length,
      urlsOpened: user.openedUrls.length,
      extensionActive: vscode.extensions.getExtension(EXTENSION_ID)?.isActive,
      panelOpen: api.promptPanel.isOpen,
    };
  }

  /** The log's newest lines: every one a "dropped" warning for a fuzzed message, and nothing else. */
  function assertOnlyDropsLogged(count: number): void {
    const recent = api.logLines().slice(-Math.min(count, 1_000));
    const other = recent.filter((l) => !l.includes('prompt panel: dropped an invalid message'));
    assert.deepEqual(other, [], 'the fuzz logged something other than dropped messages');
  }

  it(`${BURST} hostile messages fired at once, as onDidReceiveMessage fires them: nothing happens`, async () => {
    const before = await sideEffects();
    const seed = Date.now();
    const messages = fc.sample(hostileMessage, { numRuns: BURST, seed });
    for (const message of messages) {
      void api.promptPanel.receive(message);
    }
    // Let every handler finish and any rejection surface (Node reports them after a turn of the loop).
    await settle(1_000);
    assert.deepEqual(rejections, [], `unhandled rejections (seed ${seed})`);
    assert.deepEqual(posted, [], `the host answered a hostile message (seed ${seed})`);
    assert.deepEqual(await sideEffects(), before, `a hostile message had a side effect (seed ${seed})`);
    assertOnlyDropsLogged(BURST);
  });

  it(`${ONE_BY_ONE} hostile messages one at a time (fast-check shrinks any that acts)`, async () => {
    const before = await sideEffects();
    await fc.assert(
      fc.asyncProperty(hostileMessage, async (message) => {
        await api.promptPanel.receive(message);
        assert.equal(fake.requests.length, before.apiRequests, 'an API request was made');
        assert.deepEqual(posted, [], 'the host answered');
      }),
      { numRuns: ONE_BY_ONE },
    );
    await settle(500);
    assert.deepEqual(rejections, []);
    assert.deepEqual(await sideEffects(), before);
    assertOnlyDropsLogged(ONE_BY_ONE);
  });

  it('afterwards the panel still answers a valid prompt, with exactly one API request', async () => {
    const requestsBefore = fake.messagesRequests().length;
    const finished = new Promise<void>((resolve) => {
      const sub = api.promptPanel.onDidFinish(() => (sub.dispose(), resolve()));
    });
    await api.promptPanel.receive({ type: 'send', prompt: 'Are you still there?', settings: SETTINGS });
    await finished;
    assert.equal(fake.messagesRequests().length, requestsBefore + 1);
    const text = posted.filter((m): m is Extract<HostToWebview, { type: 'delta' }> => m.type === 'delta').map((m) => m.text).join('');
    assert.equal(text, 'Still here.');
    assert.ok(posted.some((m) => m.type === 'streamEnd' && !m.stopped));
    assert.deepEqual(rejections, []);
  });
});
