import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID, Settings, StateKeys } from '../../src/constants';
import { maskKey } from '../../src/core/mask';
import type { QuickPromptOutcome } from '../../src/prompt/promptCommands';
import { PromptHistory } from '../../src/prompt/promptHistory';
import { PromptPanelController, type FinishedPrompt } from '../../src/prompt/promptPanel';
import type { HostToWebview, PromptSettings } from '../../src/shared/promptProtocol';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import { TokenCounter } from '../../src/tokens/tokenCounter';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { closedPort, everythingPersisted, fakeApi, resetState, settle, untitledDocument } from './helpers';
import { hostSuite, postedBy, storeNewKey } from './hostSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

const SETTINGS: PromptSettings = { model: 'claude-haiku-4-5-20251001', system: 'Be brief.', maxTokens: 4000, temperature: 0.5 };
const ANSWER = '# Title\n\nSome **bold** text and `code`.\n\n```ts\nconst x = 1;\n```\n\n- one\n- two\n';

/** Polls until `check` holds; fails with `what` after `timeoutMs`. */
async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting for: ${what}`);
    }
    await settle(50);
  }
}

describe('Prompts through the real SDK against the fake API', () => {
  let api: ClaudeKeysTestApi;
  let user: ScriptedInteraction;
  let fake: FakeAnthropicApi;
  let key: string;
  hostSuite((h) => ({ api, user, fake } = h), { closeEditorsAfterEach: true });

  beforeEach(async () => {
    key = await storeNewKey({ api, fake }, 'default');
    api.catalog.invalidate();
    api.runner.idleTimeoutMs = 60_000;
  });

  const posted = postedBy(() => api.promptPanel);

  /** Sends from the "webview" (validated like a real message) and waits for the answer to end. */
  async function send(prompt = 'Hello there', settings: PromptSettings = SETTINGS): Promise<FinishedPrompt> {
    api.promptPanel.show();
    await api.promptPanel.receive({ type: 'ready' });
    const finished = new Promise<FinishedPrompt>((resolve) => {
      const sub = api.promptPanel.onDidFinish((f) => {
        sub.dispose();
        resolve(f);
      });
    });
    await api.promptPanel.receive({ type: 'send', prompt, settings });
    return finished;
  }

  /** Resolves with the next prompt that ends in the panel. */
  const nextFinish = (): Promise<FinishedPrompt> =>
    new Promise((resolve) => {
      const sub = api.promptPanel.onDidFinish((f) => (sub.dispose(), resolve(f)));
    });

  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(Settings.section);

  /** The key, its tail and its head (prefix plus the first body characters) must all be absent. */
  const assertNoKey = (text: string, where: string): void => {
    for (const [name, fragment] of [['the key', key], ['its last 40 characters', key.slice(-40)], ['its first 20 characters', key.slice(0, 20)]] as const) {
      assert.ok(!text.includes(fragment), `${where} held ${name}`);
    }
  };

  const deltas = (requestId: string): string =>
    posted
      .filter((m): m is Extract<HostToWebview, { type: 'delta' }> => m.type === 'delta' && m.requestId === requestId)
      .map((m) => m.text)
      .join('');

  it('streams an answer to completion: exact text, usage, stop reason, timings and rate limits', async () => {
    fake.setReply({ text: ANSWER, chunkSize: 5, inputTokens: 12, outputTokens: 34 });
    const { requestId, result } = await send();
    assert.equal(result.outcome, 'done');
    assert.equal(result.text, ANSWER);
    assert.equal(deltas(requestId), ANSWER);
    const end = posted.find((m) => m.type === 'streamEnd');
    assert.ok(end && end.type === 'streamEnd');
    assert.equal(end.stopped, false);
    assert.deepEqual(end.metrics.usage, { inputTokens: 12, outputTokens: 34 });
    assert.equal(end.metrics.stopReason, 'end_turn');
    assert.ok(end.metrics.timeToFirstTokenMs !== undefined && end.metrics.timeToFirstTokenMs >= 0);
    assert.ok(end.metrics.totalMs >= end.metrics.timeToFirstTokenMs);
    assert.match(end.metrics.rateLimit?.summary ?? '', /requests \d+/);
    const body = fake.messagesRequests().at(-1) as { model: string; system: string; max_tokens: number; temperature: number; stream: boolean; messages: unknown };
    assert.equal(body.model, SETTINGS.model);
    assert.equal(body.system, 'Be brief.');
    assert.equal(body.max_tokens, 4000);
    assert.equal(body.temperature, 0.5);
    assert.equal(body.stream, true);
    assert.deepEqual(body.messages, [{ role: 'user', content: 'Hello there' }]);
    // Deltas are batched: far fewer messages than SSE deltas.
    assert.ok(posted.filter((m) => m.type === 'delta').length < Math.ceil(ANSWER.length / 5));
  });

  it('Stop aborts the request and keeps the partial answer, marked as stopped', async () => {
    fake.setReply({ text: 'word '.repeat(400), chunkSize: 5, delayMs: 15 });
    api.promptPanel.show();
    await api.promptPanel.receive({ type: 'ready' });
    const finished = new Promise<FinishedPrompt>((resolve) => {
      const sub = api.promptPanel.onDidFinish((f) => (sub.dispose(), resolve(f)));
    });
    const started = new Promise<string>((resolve) => {
      const previous = api.promptPanel.tap;
      api.promptPanel.tap = (m) => {
        previous?.(m);
        if (m.type === 'delta') {
          resolve(m.requestId);
        }
      };
    });
    // receive() resolves when the answer ends, so do not wait for it here.
    const sending = api.promptPanel.receive({ type: 'send', prompt: 'Talk a lot', settings: SETTINGS });
    const requestId = await started;
    await api.promptPanel.receive({ type: 'stop', requestId });
    const { result } = await finished;
    await sending;
    assert.equal(result.outcome, 'stopped');
    assert.ok(result.text.length > 0 && result.text.length < 2000, `partial length ${result.text.length}`);
    const end = posted.find((m) => m.type === 'streamEnd');
    assert.ok(end && end.type === 'streamEnd' && end.stopped);
    await settle(100);
    assert.equal(fake.requests.filter((r) => r.path === '/v1/messages').at(-1)?.aborted, true);
  });

  it('an error event mid-stream: plain words, the partial answer kept', async () => {
    fake.setReply({ text: ANSWER, chunkSize: 4 });
    fake.enqueueFault('messages', { kind: 'streamError', afterDeltas: 3 });
    const { requestId, result } = await send();
    assert.equal(result.outcome, 'error');
    assert.equal(result.problem?.kind, 'overloaded');
    assert.equal(deltas(requestId), ANSWER.slice(0, 12));
    const error = posted.find((m) => m.type === 'streamError');
    assert.ok(error && error.type === 'streamError');
    assert.match(error.problem.message, /Claude is overloaded right now/);
    assert.deepEqual(error.problem.actions.map((a) => a.id), ['openStatusPage']);
  });

  it('a connection reset mid-stream: network problem, partial answer kept', async () => {
    fake.setReply({ text: ANSWER, chunkSize: 4 });
    fake.enqueueFault('messages', { kind: 'streamReset', afterDeltas: 2 });
    const { result } = await send();
    assert.equal(result.outcome, 'error');
    assert.ok(result.problem?.kind === 'network' || result.problem?.kind === 'timeout', result.problem?.kind);
    assert.equal(result.text, ANSWER.slice(0, 8));
  });

  it('a stream that stalls past the time-out ends with a time-out message', async () => {
    api.runner.idleTimeoutMs = 400;
    fake.setReply({ text: ANSWER, chunkSize: 4 });
    fake.enqueueFault('messages', { kind: 'stall', afterDeltas: 2 });
    const { result } = await send();
    assert.equal(result.outcome, 'error');
    assert.equal(result.problem?.kind, 'timeout');
    const error = posted.find((m) => m.type === 'streamError');
    assert.ok(error && error.type === 'streamError');
    assert.match(error.problem.message, /did not answer in time/);
  });

  it('a malformed SSE line does not lose the answer', async () => {
    fake.setReply({ text: ANSWER, chunkSize: 6 });
    fake.enqueueFault('messages', { kind: 'malformedLine', afterDeltas: 2 });
    const { result } = await send();
    assert.equal(result.outcome, 'done');
    assert.equal(result.text, ANSWER);
  });

  it('a malformed event the SDK cannot parse: explained as an unreadable response', async () => {
    fake.setReply({ text: ANSWER, chunkSize: 6 });
    fake.enqueueFault('messages', { kind: 'malformedLine', afterDeltas: 2, event: 'content_block_delta' });
    const { result } = await send();
    assert.equal(result.outcome, 'error');
    assert.equal(result.problem?.kind, 'badResponse');
    const error = posted.find((m) => m.type === 'streamError');
    assert.ok(error && error.type === 'streamError');
    assert.match(error.problem.message, /could not read \(a malformed response\)/);
  });

  it('429 with retry-after, then success: the SDK\'s own retry handles it', async () => {
    fake.setReply({ text: 'Fine now.' });
    fake.enqueueFault('messages', { kind: 'rateLimit', retryAfterSeconds: 1 });
    const { result } = await send();
    assert.equal(result.outcome, 'done');
    assert.equal(result.text, 'Fine now.');
    assert.equal(fake.requests.filter((r) => r.path === '/v1/messages').length, 2);
  });

  it('529 overloaded after the SDK gave up: explained with the status page', async () => {
    fake.enqueueFault('messages', { kind: 'status', status: 529 }, 3);
    const { result } = await send();
    assert.equal(result.outcome, 'error');
    assert.equal(result.problem?.kind, 'overloaded');
  });

  it('401 inside the panel offers Rotate and Set', async () => {
    fake.revokeKey(key);
    await send();
    const error = posted.find((m) => m.type === 'streamError');
    assert.ok(error && error.type === 'streamError');
    assert.match(error.problem.message, /401 unauthorized/);
    assert.deepEqual(error.problem.actions.map((a) => a.id), ['rotateApiKey', 'setApiKey', 'openConsole']);
  });

  it('no key stored: an actionable error, and nothing is sent', async () => {
    await resetState(api);
    api.setInteraction(user);
    api.promptPanel.tap = (m) => posted.push(m);
    const { result } = await send();
    assert.equal(result.outcome, 'error');
    assert.equal(result.problem?.kind, 'noKey');
    const error = posted.find((m) => m.type === 'streamError');
    assert.ok(error && error.type === 'streamError');
    assert.match(error.problem.message, /no Claude API key is stored/);
    assert.deepEqual(error.problem.actions.map((a) => a.id), ['setApiKey']);
    const init = posted.find((m) => m.type === 'init');
    assert.ok(init && init.type === 'init' && init.keyState === 'none');
    assert.equal(fake.requests.filter((r) => r.path === '/v1/messages').length, 0);
  });

  it('a bad claudeKeys.apiBaseUrl: the panel explains it, and the next Send works once it is fixed', async () => {
    await config().update(Settings.apiBaseUrl, 'not a url', vscode.ConfigurationTarget.Global);
    try {
      const { result } = await send();
      assert.equal(result.outcome, 'error');
      assert.equal(result.problem?.kind, 'badBaseUrl');
      const error = posted.find((m) => m.type === 'streamError');
      assert.ok(error && error.type === 'streamError');
      assert.match(error.problem.message, /claudeKeys\.apiBaseUrl is not a usable URL/);
      assert.deepEqual(error.problem.actions.map((a) => a.id), ['openSettings']);
      assert.equal(fake.messagesRequests().length, 0);
    } finally {
      await fakeApi();
    }
    fake.setReply({ text: 'Back again.' });
    const { result } = await send();
    assert.equal(result.outcome, 'done');
    assert.equal(result.text, 'Back again.');
  });

  it('Quick Prompt with a bad claudeKeys.apiBaseUrl ends and reports the problem', async () => {
    await config().update(Settings.apiBaseUrl, 'not a url', vscode.ConfigurationTarget.Global);
    try {
      user.type('Anything');
      const outcome = (await vscode.commands.executeCommand(Commands.quickPrompt)) as QuickPromptOutcome;
      assert.equal(outcome.outcome, 'error');
      assert.ok(outcome.document);
      const doc = await vscode.workspace.openTextDocument(outcome.document);
      assert.match(doc.getText(), /failed: badBaseUrl/);
      await settle();
      assert.ok(user.messages.some((m) => /^Quick Prompt: the setting claudeKeys\.apiBaseUrl is not a usable URL/.test(m.message)), JSON.stringify(user.messages));
      // The document stays as it was left: no timer keeps appending to it.
      const text = doc.getText();
      await settle(300);
      assert.equal(doc.getText(), text);
    } finally {
      await fakeApi();
    }
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

  it('copy, insert at cursor and open as document', async () => {
    const doc = await untitledDocument('markdown', 'before\n');
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    api.promptPanel.show();
    await api.promptPanel.receive({ type: 'copy', text: 'copied text' });
    assert.equal(await vscode.env.clipboard.readText(), 'copied text');
    await api.promptPanel.receive({ type: 'insertAtCursor', text: 'inserted' });
    assert.equal(doc.getText(), 'before\ninserted');
    await api.promptPanel.receive({ type: 'openAsDocument', text: '# Answer' });
    assert.ok(vscode.workspace.textDocuments.some((d) => d.languageId === 'markdown' && d.getText() === '# Answer'));
  });

  it('Quick Prompt streams into a new Markdown document with a footer of metrics', async () => {
    fake.setReply({ text: ANSWER, chunkSize: 7, inputTokens: 5, outputTokens: 9 });
    user.type('What is a key?');
    const outcome = (await vscode.commands.executeCommand(Commands.quickPrompt)) as QuickPromptOutcome;
    assert.equal(outcome.outcome, 'done');
    assert.ok(outcome.document);
    const doc = await vscode.workspace.openTextDocument(outcome.document);
    const text = doc.getText();
    assert.ok(text.includes('What is a key?'));
    assert.ok(text.includes(ANSWER), text);
    assert.match(text, /5 in \/ 9 out tokens · first token \d+ ms · total \d+ ms · stop reason end_turn/);
    assert.ok(user.progressTitles.includes('Claude is answering…'));
  });

  it('Quick Prompt with a key typed in: the request and the document carry it only masked', async () => {
    fake.setReply({ text: 'Noted.' });
    user.type(`Is ${key} a real key?`);
    const outcome = (await vscode.commands.executeCommand(Commands.quickPrompt)) as QuickPromptOutcome;
    assert.equal(outcome.outcome, 'done');
    assert.ok(outcome.document);
    const text = (await vscode.workspace.openTextDocument(outcome.document)).getText();
    assert.ok(text.includes(`Is ${maskKey(key)} a real key?`), text);
    assert.equal((fake.messagesRequests().at(-1) as { messages: Array<{ content: string }> }).messages[0].content, `Is ${maskKey(key)} a real key?`);
    assertNoKey(text, 'the answer document');
  });

  it('Quick Prompt can be cancelled from its progress notification', async () => {
    fake.setReply({ text: 'word '.repeat(200), chunkSize: 5, delayMs: 10 });
    user.type('Long one');
    user.cancelProgress = true;
    const outcome = (await vscode.commands.executeCommand(Commands.quickPrompt)) as QuickPromptOutcome;
    assert.equal(outcome.outcome, 'stopped');
  });

  it('Quick Prompt can target the panel', async () => {
    await vscode.workspace.getConfiguration(Settings.section).update(Settings.promptQuickPromptTarget, 'panel', vscode.ConfigurationTarget.Global);
    try {
      fake.setReply({ text: 'In the panel.' });
      const finished = new Promise<FinishedPrompt>((resolve) => {
        const sub = api.promptPanel.onDidFinish((f) => (sub.dispose(), resolve(f)));
      });
      user.type('Panel please');
      const outcome = (await vscode.commands.executeCommand(Commands.quickPrompt)) as QuickPromptOutcome;
      assert.equal(outcome.outcome, 'panel');
      await api.promptPanel.receive({ type: 'ready' });
      assert.equal((await finished).result.text, 'In the panel.');
    } finally {
      await vscode.workspace.getConfiguration(Settings.section).update(Settings.promptQuickPromptTarget, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Send Selection as Prompt: selection plus instruction, answered in the panel; a selected key is not sent without asking', async () => {
    fake.setReply({ text: 'Explained.' });
    const doc = await untitledDocument('python', 'def f():\n    return 42\n');
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 1, 13);
    const finished = new Promise<FinishedPrompt>((resolve) => {
      const sub = api.promptPanel.onDidFinish((f) => (sub.dispose(), resolve(f)));
    });
    user.type('Explain this');
    assert.equal(((await vscode.commands.executeCommand(Commands.sendSelectionAsPrompt)) as QuickPromptOutcome).outcome, 'panel');
    await api.promptPanel.receive({ type: 'ready' });
    assert.equal((await finished).result.text, 'Explained.');
    const body = fake.messagesRequests().at(-1) as { messages: Array<{ content: string }> };
    assert.equal(body.messages[0].content, 'Explain this\n\n```python\ndef f():\n    return 42\n```');

    const withKey = await untitledDocument('python', `KEY = "${key}"\n`);
    const keyEditor = await vscode.window.showTextDocument(withKey);
    keyEditor.selection = new vscode.Selection(0, 0, 0, 10 + key.length);
    const sent = fake.messagesRequests().length;
    assert.equal(((await vscode.commands.executeCommand(Commands.sendSelectionAsPrompt)) as QuickPromptOutcome).outcome, 'cancelled');
    assert.match(user.messages.at(-1)?.message ?? '', /contains a Claude credential \(sk-ant-api03-…/);
    assert.equal(fake.messagesRequests().length, sent);
  });

  it('a prompt sent to a hidden panel reaches the page that is loaded when it shows again', async () => {
    // Without retainContextWhenHidden a hidden panel's page is discarded; on show a new page loads
    // and says ready. Only what is posted after that reaches it.
    const panel = api.promptPanel.show();
    const inits = (): number => posted.filter((m) => m.type === 'init').length;
    await waitFor(() => inits() > 0, 'the panel page loaded');
    const doc = await untitledDocument('plaintext', 'cover the panel\n');
    await vscode.window.showTextDocument(doc, { viewColumn: panel.viewColumn, preview: false });
    await waitFor(() => !panel.visible, 'the panel hidden behind an editor');
    const before = inits();
    const seen = posted.length;
    api.promptPanel.show({ prefill: 'Hello, hidden panel', send: false });
    await waitFor(() => inits() > before, 'the page reloaded when shown again');
    const reloadedAt = posted.findIndex((m, i) => i >= seen && m.type === 'init');
    const delivered = posted.slice(reloadedAt).some((m) => (m.type === 'init' && m.prefill === 'Hello, hidden panel') || (m.type === 'prefill' && m.prompt === 'Hello, hidden panel'));
    assert.ok(delivered, `the prefill was posted only to the discarded page: ${JSON.stringify(posted.slice(seen).map((m) => m.type))}`);
  });

  it('restores after a reload: the serializer accepts any state without trusting it', async () => {
    const logged = api.logLines().length;
    const panel = vscode.window.createWebviewPanel('claudeKeys.promptPanel', 'restored', vscode.ViewColumn.One, {});
    await api.promptPanel.deserializeWebviewPanel(panel, { settings: { model: '<script>', system: key }, prompt: 1 });
    assert.ok(api.promptPanel.isOpen);
    assert.match(panel.webview.html, /Content-Security-Policy" content="default-src 'none'; style-src [^;]+; font-src [^;]+; img-src [^;]+ data:; script-src 'nonce-[A-Za-z0-9+/=]+'"/);
    assert.ok(!panel.webview.html.includes('unsafe-inline'));
    assert.ok(!panel.webview.html.includes(key));
    // The restored panel starts from the host's own settings: nothing of the state is posted back.
    await api.promptPanel.receive({ type: 'ready' });
    const init = posted.find((m) => m.type === 'init');
    assert.ok(init && init.type === 'init');
    assert.equal(init.settings.system, '');
    assert.ok(init.models.some((m) => m.id === init.settings.model), init.settings.model);
    assert.ok(!JSON.stringify(posted).includes('<script>'));
    assertNoKey(JSON.stringify(posted), 'a host→webview message');
    // The state was judged (malformed here), and only that verdict was logged.
    const lines = api.logLines().slice(logged);
    assert.ok(lines.some((l) => l.endsWith('prompt panel restored (no usable state)')), lines.join('\n'));
    assertNoKey(lines.join('\n'), 'the log');
    panel.dispose();

    const wellFormed = vscode.window.createWebviewPanel('claudeKeys.promptPanel', 'restored', vscode.ViewColumn.One, {});
    await api.promptPanel.deserializeWebviewPanel(wellFormed, { settings: SETTINGS, prompt: `use ${key}`, answer: '', answerStatus: 'idle' });
    assert.ok(api.logLines().at(-1)?.endsWith('prompt panel restored'));
    posted.length = 0;
    await api.promptPanel.receive({ type: 'ready' });
    assertNoKey(JSON.stringify(posted), 'a host→webview message');
    wellFormed.dispose();
  });

  it('disposing the controller disposes its panel too', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const controller = new PromptPanelController(extension.extensionUri, api.runner, api.catalog, new PromptHistory(api.globalState), api.services.store, api.globalState, user, quiet, new TokenCounter(api.services.client));
    const panel = controller.show();
    const disposed = new Promise<boolean>((resolve) => {
      panel.onDidDispose(() => resolve(true));
      setTimeout(() => resolve(false), 2_000);
    });
    controller.dispose();
    assert.equal(await disposed, true);
    assert.equal(controller.isOpen, false);
  });
});
