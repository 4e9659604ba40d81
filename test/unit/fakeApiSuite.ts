import * as assert from 'node:assert/strict';
import { ClaudeClient } from '../../src/api/claudeClient';
import type { PromptSettings } from '../../src/shared/promptProtocol';
import { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';

/** A short prompt to a model the fake lists. */
export const SMALL_PROMPT: PromptSettings = { model: 'claude-haiku-4-5-20251001', system: '', maxTokens: 64, temperature: 1 };

/** What fakeApiSuite() gives each test; the fields are set by its hooks. */
export interface FakeApiSuite {
  fake: FakeAnthropicApi;
  /** A fresh API key, registered with the fake before each test. */
  key: string;
  /** Where `client` sends requests; a test may change it (read per request). */
  baseUrl: string;
  client: ClaudeClient;
}

/**
 * Call inside describe(): one loopback fake for the suite, reset before each test, with a new key
 * and a ClaudeClient (the extension's own client, on the real SDK) using that key.
 */
export function fakeApiSuite(): FakeApiSuite {
  const suite = {} as FakeApiSuite;
  fakeApiPerSuite((fake) => {
    suite.fake = fake;
  });
  beforeEach(() => {
    suite.key = fakeKeys.apiKey();
    suite.fake.addApiKey(suite.key);
    suite.baseUrl = suite.fake.url;
    suite.client = new ClaudeClient({ baseUrl: () => suite.baseUrl }, () => Promise.resolve(suite.key));
  });
  return suite;
}

/**
 * Call inside describe(): one loopback fake for the suite, handed to `onStart` once it listens, closed
 * after the suite and reset before each test (hooks registered later run after that reset).
 */
export function fakeApiPerSuite(onStart: (fake: FakeAnthropicApi) => void): void {
  let fake: FakeAnthropicApi | undefined;
  before(async () => {
    fake = await FakeAnthropicApi.start();
    onStart(fake);
  });
  after(async () => {
    await fake?.close();
  });
  beforeEach(() => {
    fake?.reset();
  });
}

/** Resolves to what the call threw; fails the test if it did not throw. */
export async function rejection(call: PromiseLike<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  assert.fail('expected the call to fail');
}
