import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, DiagnosticCodes } from '../../src/constants';
import type { LiveCheckOutcome, MoveOutcome } from '../../src/detection/detectedKeyCommands';
import { realisticKey } from '../fakes/corpus';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { diagnosticsCount, untitledDocument } from './helpers';
import { hostSuite } from './hostSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

const masked = (key: string): string => `sk-ant-api03-…${key.slice(-4)}`;

async function actionTitles(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range)) ?? [];
}

describe('Encoded keys and UTF-16 files in the editor', () => {
  let user: ScriptedInteraction;
  let fake: FakeAnthropicApi;
  let scratch: vscode.Uri;

  hostSuite((h) => ({ user, fake, scratch } = h), { scratch: 'encoded-scratch', closeEditorsAfterEach: true });

  beforeEach(() => {
    user.answerMessage = (m) => (m.options.modal ? m.actions[0] : undefined);
  });

  it('a base64-encoded key in a Kubernetes Secret: a diagnostic on the encoded text, masked as the decoded key; no Move fix; Ignore and Check work', async () => {
    const key = realisticKey('apiKey');
    const encoded = Buffer.from(key).toString('base64');
    const text = `apiVersion: v1\nkind: Secret\ndata:\n  ANTHROPIC_API_KEY: ${encoded}\n`;
    const doc = await untitledDocument('yaml', text);
    await vscode.window.showTextDocument(doc);
    const [d] = await diagnosticsCount(doc.uri, 1);
    assert.equal(d.code, DiagnosticCodes.apiKey);
    const column = `  ANTHROPIC_API_KEY: `.length;
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [3, column, 3, column + encoded.length]);
    assert.match(d.message, new RegExp(`^Hard-coded base64-encoded Claude API key ${masked(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.`));
    assert.ok(!d.message.includes(key) && !d.message.includes(encoded.slice(10, 60)), 'the diagnostic shows key material');

    const actions = await actionTitles(doc.uri, d.range);
    const titles = actions.map((a) => a.title);
    assert.ok(!titles.some((t) => t.startsWith('Move key')), `a Move fix is offered on a base64 blob: ${titles.join(', ')}`);
    // The command itself refuses too (it can be run with any arguments), and leaves the file alone.
    const moved = await vscode.commands.executeCommand<MoveOutcome>(Commands.moveDetectedKey, doc.uri.toString(), 3, column + 4);
    assert.equal(moved.outcome, 'invalid');
    assert.equal(doc.getText(), text);

    // Check if this key is live sends the decoded key.
    fake.addApiKey(key);
    const check = actions.find((a) => a.title === 'Check if this key is live');
    assert.ok(check?.command, 'no live check');
    const checked = await vscode.commands.executeCommand<LiveCheckOutcome>(check.command.command, ...(check.command.arguments ?? []));
    assert.equal(checked.outcome, 'live');

    const ignore = actions.find((a) => a.title === 'Ignore this occurrence');
    assert.ok(ignore?.edit, 'no ignore fix');
    assert.ok(await vscode.workspace.applyEdit(ignore.edit));
    assert.equal(doc.getText().split('\n')[3], '  # claude-keys:ignore-next-line');
    assert.equal(doc.getText().split('\n')[4], `  ANTHROPIC_API_KEY: ${encoded}`);
    await diagnosticsCount(doc.uri, 0);
  });

  it('keys written with \\u002d or %2D escapes get a diagnostic over the escaped text', async () => {
    const key = realisticKey('apiKey');
    const json = key.replace(/-/g, '\\u002d');
    const url = key.replace(/-/g, '%2D');
    const doc = await untitledDocument('plaintext', `{"k":"${json}"}\nhttps://x.example/?k=${url}\n`);
    const found = (await diagnosticsCount(doc.uri, 2)).sort((a, b) => a.range.start.line - b.range.start.line);
    assert.deepEqual([found[0].range.start.character, found[0].range.end.character], [6, 6 + json.length]);
    assert.deepEqual([found[1].range.start.character, found[1].range.end.character], [21, 21 + url.length]);
    assert.match(found[0].message, /written with escapes/);
  });

  it('a UTF-16 LE file with a byte order mark, opened from disk: the diagnostic at the line and column the editor shows', async () => {
    const key = realisticKey('apiKey');
    const content = `# profile é 😀\r\n$env:ANTHROPIC_API_KEY = "${key}"\r\n`;
    const file = vscode.Uri.joinPath(scratch, 'profile.ps1');
    await vscode.workspace.fs.writeFile(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(content, 'utf16le')]));
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.lineAt(1).text, `$env:ANTHROPIC_API_KEY = "${key}"`, 'VS Code decodes the file as UTF-16');
    const [d] = await diagnosticsCount(doc.uri, 1);
    const column = doc.lineAt(1).text.indexOf(key);
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.character], [1, column, column + key.length]);
  });
});
