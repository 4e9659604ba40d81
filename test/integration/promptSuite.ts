import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Settings } from '../../src/constants';
import type { FinishedPrompt } from '../../src/prompt/promptPanel';
import type { HostToWebview, PromptSettings } from '../../src/shared/promptProtocol';
import { settle } from './helpers';
import { hostSuite, postedBy, storeNewKey, type Host } from './hostSuite';

/** What the prompt suites (prompt*.test.ts) share. */

export const SETTINGS: PromptSettings = { model: 'claude-haiku-4-5-20251001', system: 'Be brief.', maxTokens: 4000, temperature: 0.5 };
export const ANSWER = '# Title\n\nSome **bold** text and `code`.\n\n```ts\nconst x = 1;\n```\n\n- one\n- two\n';

/** Polls until `check` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting for: ${what}`);
    }
    await settle(50);
  }
}

export interface PromptSuite {
  /** What the panel posted to its webview during this test. */
  readonly posted: HostToWebview[];
  /** Sends from the "webview" (validated like a real message) and waits for the answer to end. */
  send(prompt?: string, settings?: PromptSettings): Promise<FinishedPrompt>;
  /** Resolves with the next prompt that ends in the panel. */
  nextFinish(): Promise<FinishedPrompt>;
  config(): vscode.WorkspaceConfiguration;
  /** The key, its tail and its head (prefix plus the first body characters) must all be absent. */
  assertNoKey(text: string, where: string): void;
  /** The text streamed to the webview for `requestId`. */
  deltas(requestId: string): string;
}

/**
 * hostSuite with editors closed after each test, and before every test a new key stored as the
 * active one (handed to `take` with the host), the model catalog forgotten and a 60 s idle time-out.
 */
export function promptSuite(take: (host: Host, key: string) => void): PromptSuite {
  let host: Host;
  let key: string;
  hostSuite((h) => (host = h), { closeEditorsAfterEach: true });

  beforeEach(async () => {
    key = await storeNewKey(host, 'default');
    host.api.catalog.invalidate();
    host.api.runner.idleTimeoutMs = 60_000;
    take(host, key);
  });

  const posted = postedBy(() => host.api.promptPanel);

  async function send(prompt = 'Hello there', settings: PromptSettings = SETTINGS): Promise<FinishedPrompt> {
    host.api.promptPanel.show();
    await host.api.promptPanel.receive({ type: 'ready' });
    const finished = new Promise<FinishedPrompt>((resolve) => {
      const sub = host.api.promptPanel.onDidFinish((f) => {
        sub.dispose();
        resolve(f);
      });
    });
    await host.api.promptPanel.receive({ type: 'send', prompt, settings });
    return finished;
  }

  const nextFinish = (): Promise<FinishedPrompt> =>
    new Promise((resolve) => {
      const sub = host.api.promptPanel.onDidFinish((f) => (sub.dispose(), resolve(f)));
    });

  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(Settings.section);

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

  return { posted, send, nextFinish, config, assertNoKey, deltas };
}
