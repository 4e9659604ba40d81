import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, Settings, StateKeys } from '../../src/constants';
import { maskKey } from '../../src/core/mask';
import type { QuickPromptOutcome } from '../../src/prompt/promptCommands';
import type { PromptSettings } from '../../src/shared/promptProtocol';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { closedPort, everythingPersisted, fakeApi, settle, untitledDocument } from './helpers';
import { promptSuite, SETTINGS } from './promptSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

/** Models, settings, the webview protocol, history: and the key kept out of all of them. */
describe('Prompts through the real SDK against the fake API', () => {
  let api: ClaudeKeysTestApi;
  let user: ScriptedInteraction;
  let fake: FakeAnthropicApi;
  let key: string;
  const { posted, send, nextFinish, config, assertNoKey, deltas } = promptSuite((h, k) => {
    ({ api, user, fake } = h);
    key = k;
  });

  it('model list: from the models API, and a sensible default list when offline', async () => {
    const online = await api.catalog.list();
    assert.equal(online.source, 'api');
    assert.ok(online.models.some((m) => m.id === 'claude-sonnet-4-5-20250929' && m.label === 'Claude Sonnet 4.5'));
    const port = await closedPort();
    await vscode.workspace.getConfiguration(Settings.section).update(Settings.apiBaseUrl, `http://127.0.0.1:${port}`, vscode.ConfigurationTarget.Global);
    try {
      api.catalog.invalidate();
      const offline = await api.catalog.list();
      assert.equal(offline.source, 'offline');
      assert.ok(offline.models.length >= 3);
      assert.ok(offline.models.every((m) => m.id.startsWith('claude-')));
    } finally {
      await fakeApi();
      api.catalog.invalidate();
    }
  });

  it('the webview never receives the key: every host→webview message of a session, prompts from the editor and errors included', async () => {
    // An answer that echoes the start of the key: the runner masks it before the panel sees it.
    fake.setReply({ text: `Echo: ${key.slice(0, 20)}` });
    const { requestId } = await send('first');
    assert.equal(deltas(requestId), 'Echo: sk-ant-api03-…');

    // Send Selection with a key, confirmed: the panel is given the masked prompt, and that is what is sent.
    const doc = await untitledDocument('python', `KEY = "${key}"\n`);
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 0, 8 + key.length);
    user.answerMessage = (m) => m.actions[0];
    user.type('');
    const selectionAnswered = nextFinish();
    assert.equal(((await vscode.commands.executeCommand(Commands.sendSelectionAsPrompt)) as QuickPromptOutcome).outcome, 'panel');
    assert.match(user.messages.at(-1)?.message ?? '', /It is sent masked, as sk-ant-api03-…/);
    assert.deepEqual(user.messages.at(-1)?.actions, ['Send Masked']);
    await selectionAnswered;
    // A panel hidden behind the editor gets it with the init of its reloaded page, a visible one as a prefill.
    const prefilled = posted
      .map((m) => (m.type === 'prefill' ? m.prompt : m.type === 'init' ? m.prefill : undefined))
      .filter((p): p is string => p !== undefined)
      .at(-1);
    assert.equal(prefilled, `\`\`\`python\nKEY = "${maskKey(key)}"\n\`\`\``);
    assert.equal((fake.messagesRequests().at(-1) as { messages: Array<{ content: string }> }).messages[0].content, prefilled);

    // Quick Prompt into the panel, a key typed into the input box.
    await config().update(Settings.promptQuickPromptTarget, 'panel', vscode.ConfigurationTarget.Global);
    try {
      const quickAnswered = nextFinish();
      user.type(`check ${key}`);
      assert.equal(((await vscode.commands.executeCommand(Commands.quickPrompt)) as QuickPromptOutcome).outcome, 'panel');
      await quickAnswered;
      assert.equal((fake.messagesRequests().at(-1) as { messages: Array<{ content: string }> }).messages[0].content, `check ${maskKey(key)}`);
    } finally {
      await config().update(Settings.promptQuickPromptTarget, undefined, vscode.ConfigurationTarget.Global);
    }

    // A key typed into the panel itself: sent masked, and the panel is shown the masked prompt.
    await send(`mine is ${key}`);
    assert.equal((fake.messagesRequests().at(-1) as { messages: Array<{ content: string }> }).messages[0].content, `mine is ${maskKey(key)}`);
    assert.ok(posted.some((m) => m.type === 'prefill' && m.prompt === `mine is ${maskKey(key)}`));
    assert.ok(posted.some((m) => m.type === 'notice' && /masked before sending/.test(m.message)));

    fake.revokeKey(key);
    await send('second');
    await api.promptPanel.receive({ type: 'action', id: 'retry' });
    await settle(200);
    assert.ok(posted.length > 5);
    assertNoKey(JSON.stringify(posted), 'a host→webview message');
    assertNoKey(JSON.stringify(fake.messagesRequests()), 'a request body');
  });

  it('a key in the system prompt is kept nowhere: globalState, workspaceState, settings, the log, a new panel', async () => {
    fake.setReply({ text: 'ok' });
    const system = `Authenticate with ${key} when asked.`;
    await send('Hello', { ...SETTINGS, system });
    assert.equal((fake.messagesRequests().at(-1) as { system: string }).system, `Authenticate with ${maskKey(key)} when asked.`);
    const persisted = (): string => everythingPersisted(api) + JSON.stringify(api.workspaceState.keys().map((k) => [k, api.workspaceState.get(k)]));
    assertNoKey(persisted(), 'persisted state');
    // A new panel starts from the saved choices: the system prompt comes back masked (and so is saved masked by the webview).
    posted.length = 0;
    await api.promptPanel.receive({ type: 'ready' });
    const init = posted.find((m) => m.type === 'init');
    assert.ok(init && init.type === 'init');
    assert.deepEqual(init.settings, { ...SETTINGS, system: `Authenticate with ${maskKey(key)} when asked.` });
    assertNoKey(JSON.stringify(posted), 'a host→webview message');
    // With history off, the system prompt is not kept at all (model and the rest still are).
    await config().update(Settings.promptKeepHistory, false, vscode.ConfigurationTarget.Global);
    try {
      await send('Again', { ...SETTINGS, system });
      const saved = api.globalState.get<Record<string, unknown>>(StateKeys.promptSettings);
      assert.equal(saved?.system, '');
      assert.equal(saved?.model, SETTINGS.model);
      assertNoKey(persisted(), 'persisted state');
    } finally {
      await config().update(Settings.promptKeepHistory, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a changed prompt.defaultModel or prompt.maxTokens wins over the last panel choices; Quick Prompt uses the configuration, never the panel\'s system prompt', async () => {
    fake.setReply({ text: 'ok' });
    await send('Hello', SETTINGS);
    const initSettings = async (): Promise<PromptSettings> => {
      posted.length = 0;
      await api.promptPanel.receive({ type: 'ready' });
      const init = posted.find((m) => m.type === 'init');
      assert.ok(init && init.type === 'init');
      return init.settings;
    };
    // Nothing changed: a new panel starts where the last one left off.
    assert.deepEqual(await initSettings(), SETTINGS);
    await config().update(Settings.promptDefaultModel, 'claude-sonnet-4-5', vscode.ConfigurationTarget.Global);
    await config().update(Settings.promptMaxTokens, 777, vscode.ConfigurationTarget.Global);
    try {
      assert.deepEqual(await initSettings(), { ...SETTINGS, model: 'claude-sonnet-4-5-20250929', maxTokens: 777 });
      user.type('Quick one');
      assert.equal(((await vscode.commands.executeCommand(Commands.quickPrompt)) as QuickPromptOutcome).outcome, 'done');
      const body = fake.messagesRequests().at(-1) as { model: string; max_tokens: number; temperature: number; system?: string };
      assert.equal(body.model, 'claude-sonnet-4-5-20250929');
      assert.equal(body.max_tokens, 777);
      assert.equal(body.temperature, 1);
      assert.equal(body.system, undefined);
      // Choices made after the change are remembered again.
      await send('Later', { ...SETTINGS, maxTokens: 2000 });
      assert.deepEqual(await initSettings(), { ...SETTINGS, maxTokens: 2000 });
    } finally {
      await config().update(Settings.promptDefaultModel, undefined, vscode.ConfigurationTarget.Global);
      await config().update(Settings.promptMaxTokens, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('drops and logs malformed or unknown webview messages without acting on them', async () => {
    api.promptPanel.show();
    const before = fake.requests.length;
    // Only this test's lines count: the log is shared by the whole run.
    const logged = api.logLines().length;
    for (const bad of [null, 'send', { type: 'send', prompt: 5, settings: SETTINGS }, { type: 'send', prompt: 'x', settings: { ...SETTINGS, maxTokens: -1 } }, { type: 'action', id: 'rm -rf' }, { type: 'evil' }]) {
      await api.promptPanel.receive(bad);
    }
    assert.equal(fake.requests.length, before);
    const dropped = api.logLines().slice(logged).filter((l) => l.includes('dropped an invalid message'));
    assert.deepEqual(
      dropped.map((l) => /\((.*)\)$/.exec(l)?.[1]),
      ['object', 'string', 'type "send"', 'type "send"', 'type "action"', 'type "evil"'],
    );
  });

  it('history keeps prompt text only when the setting is on, and never a key', async () => {
    fake.setReply({ text: 'ok' });
    await send(`use ${key} please`);
    const kept = api.globalState.get<Array<{ prompt: string }>>(StateKeys.promptHistory) ?? [];
    assert.ok(kept[0].prompt.startsWith('use sk-ant-api03-…'));
    assert.ok(!JSON.stringify(kept).includes(key));
    await vscode.workspace.getConfiguration(Settings.section).update(Settings.promptKeepHistory, false, vscode.ConfigurationTarget.Global);
    try {
      await send('secret plans');
      const entries = api.globalState.get<Array<{ prompt: string; model: string }>>(StateKeys.promptHistory) ?? [];
      assert.equal(entries[0].prompt, '');
      assert.equal(entries[0].model, SETTINGS.model);
    } finally {
      await vscode.workspace.getConfiguration(Settings.section).update(Settings.promptKeepHistory, undefined, vscode.ConfigurationTarget.Global);
    }
    // Clear History also forgets the saved system prompt; the other choices stay.
    await send('with a system prompt', { ...SETTINGS, system: 'Answer as a pirate.' });
    const savedSystem = (): unknown => (api.globalState.get(StateKeys.promptSettings) as { system?: unknown } | undefined)?.system;
    assert.equal(savedSystem(), 'Answer as a pirate.');
    await api.promptPanel.receive({ type: 'clearHistory' });
    assert.equal(api.globalState.get(StateKeys.promptHistory), undefined);
    assert.equal(savedSystem(), '');
    assert.equal((api.globalState.get(StateKeys.promptSettings) as { model?: unknown }).model, SETTINGS.model);
  });
});
