import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID, Settings } from '../../src/constants';
import { maskKey } from '../../src/core/mask';
import type { QuickPromptOutcome } from '../../src/prompt/promptCommands';
import { PromptHistory } from '../../src/prompt/promptHistory';
import { PromptPanelController, type FinishedPrompt } from '../../src/prompt/promptPanel';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import { TokenCounter } from '../../src/tokens/tokenCounter';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { untitledDocument } from './helpers';
import { ANSWER, promptSuite, SETTINGS, waitFor } from './promptSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

/** Quick Prompt, Send Selection, the answer's editor actions and the panel's life. */
describe('Prompts through the real SDK against the fake API', () => {
  let api: ClaudeKeysTestApi;
  let user: ScriptedInteraction;
  let fake: FakeAnthropicApi;
  let key: string;
  const { posted, assertNoKey } = promptSuite((h, k) => {
    ({ api, user, fake } = h);
    key = k;
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
