import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { DiagnosticCodes, Settings } from '../../src/constants';
import { EMPTY_KEYRING } from '../../src/core/keyring';
import { GitStatus } from '../../src/detection/gitStatus';
import { HardcodedKeyDiagnostics } from '../../src/detection/hardcodedKeyDiagnostics';
import type { KeyStore } from '../../src/keys/keyStore';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import { fakeKeys } from '../fakes/keys';
import { diagnosticsCount, everythingPersisted, ourDiagnostics, storeDirectly, until, untitledDocument } from './helpers';
import { detectionSuite } from './detectionSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

const masked = (key: string): string => `sk-ant-api03-…${key.slice(-4)}`;

/** Diagnostics on hard-coded keys as documents open and change. */
describe('Hard-coded key detection in the editor', () => {
  let api: ClaudeKeysTestApi;
  let user: ScriptedInteraction;

  detectionSuite((h) => ({ api, user } = h));

  describe('diagnostics', () => {
    it('appear on open with the masked key, a stable code per kind and the severity setting; update as you type; clear on close', async () => {
      const key = fakeKeys.apiKey();
      const admin = fakeKeys.adminKey();
      const token = fakeKeys.oauthAccessToken();
      const doc = await untitledDocument('typescript', `const a = "${key}";\nconst b = '${admin}';\nconst c = \`${token}\`;\n`);
      await vscode.window.showTextDocument(doc);
      const found = await diagnosticsCount(doc.uri, 3);
      const byCode = Object.fromEntries(found.map((d) => [String(d.code), d]));
      assert.deepEqual(Object.keys(byCode).sort(), [DiagnosticCodes.adminKey, DiagnosticCodes.apiKey, DiagnosticCodes.oauthAccessToken].sort());
      const apiDiagnostic = byCode[DiagnosticCodes.apiKey];
      assert.equal(apiDiagnostic.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(byCode[DiagnosticCodes.oauthAccessToken].severity, vscode.DiagnosticSeverity.Warning);
      assert.deepEqual([apiDiagnostic.range.start.line, apiDiagnostic.range.start.character, apiDiagnostic.range.end.character], [0, 11, 11 + key.length]);
      assert.equal(apiDiagnostic.message, `Hard-coded Claude API key ${masked(key)}. Move it out of the source: use the quick fix.`);
      for (const d of found) {
        assert.ok(![key, admin, token].some((k) => d.message.includes(k)), 'a diagnostic shows the key');
      }

      // Typing: remove the first key, then add one on a new line.
      const editor = vscode.window.activeTextEditor;
      assert.ok(editor);
      await editor.edit((e) => e.delete(new vscode.Range(0, 11, 0, 11 + key.length)));
      await diagnosticsCount(doc.uri, 2);
      const another = fakeKeys.apiKey();
      await editor.edit((e) => e.insert(new vscode.Position(3, 0), `const d = "${another}";\n`));
      await diagnosticsCount(doc.uri, 3);

      await vscode.workspace.getConfiguration(Settings.section).update(Settings.detectionSeverity, { apiKey: 'warning' }, vscode.ConfigurationTarget.Global);
      try {
        await until(() => (ourDiagnostics(doc.uri).find((d) => d.code === DiagnosticCodes.apiKey)?.severity === vscode.DiagnosticSeverity.Warning ? true : undefined), 'severity change');
      } finally {
        await vscode.workspace.getConfiguration(Settings.section).update(Settings.detectionSeverity, undefined, vscode.ConfigurationTarget.Global);
      }

      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await diagnosticsCount(doc.uri, 0);
    });

    it('start() after dispose subscribes to nothing (activation defers start(), so it can come late)', async () => {
      let subscriptions = 0;
      const store = {
        onDidChange: () => (subscriptions++, { dispose: () => undefined }),
        getKeyring: async () => EMPTY_KEYRING,
      } as unknown as KeyStore;
      const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
      const started = new HardcodedKeyDiagnostics(store, new GitStatus(os.tmpdir()), user, silent);
      started.start();
      started.dispose();
      assert.equal(subscriptions, 1, 'start() did not follow the store');
      const disposed = new HardcodedKeyDiagnostics(store, new GitStatus(os.tmpdir()), user, silent);
      disposed.dispose();
      disposed.start();
      assert.equal(subscriptions, 1, 'a disposed instance subscribed again');
    });

    it('says when the key is the stored key, and never logs or persists it', async () => {
      const key = fakeKeys.apiKey();
      await storeDirectly(api, { work: key });
      const doc = await untitledDocument('python', `KEY = "${key}"\n`);
      const [d] = await diagnosticsCount(doc.uri, 1);
      assert.match(d.message, /It is your stored key "work"\./);
      assert.ok(!everythingPersisted(api).includes(key));
    });

    it('honours ignore markers: ours, gitleaks:allow, secretlint-disable-line and -next-line', async () => {
      const keys = Array.from({ length: 5 }, () => fakeKeys.apiKey());
      const content = [
        `a = "${keys[0]}"  # claude-keys:ignore`,
        `b = "${keys[1]}"  # gitleaks:allow`,
        `c = "${keys[2]}"  # secretlint-disable-line`,
        `# secretlint-disable-next-line`,
        `d = "${keys[3]}"`,
        `e = "${keys[4]}"`,
      ].join('\n');
      const doc = await untitledDocument('python', content);
      const [d] = await diagnosticsCount(doc.uri, 1);
      assert.equal(d.range.start.line, 5);
    });

    it('ignores placeholders, fake bodies and other providers\' keys', async () => {
      const prefix = ['sk', 'ant', 'api03', ''].join('-');
      const content = [
        `${prefix}...`,
        `${prefix}xxxxx`,
        'YOUR_KEY_HERE',
        `${prefix}${'x'.repeat(93)}AA`,
        fakeKeys.openAiProjectKey(),
        fakeKeys.githubToken(),
        'const important_api03 = 1;',
        `real: ${fakeKeys.apiKey()}`,
      ].join('\n');
      const doc = await untitledDocument('markdown', content);
      const [d] = await diagnosticsCount(doc.uri, 1);
      assert.equal(d.range.start.line, 7);
    });
  });
});
