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
  before(async () => {
    suite.fake = await FakeAnthropicApi.start();
  });
  after(async () => {
    await suite.fake.close();
  });
  beforeEach(() => {
    suite.fake.reset();
    suite.key = fakeKeys.apiKey();
    suite.fake.addApiKey(suite.key);
    suite.baseUrl = suite.fake.url;
    suite.client = new ClaudeClient({ baseUrl: () => suite.baseUrl }, () => Promise.resolve(suite.key));
  });
  return suite;
}
