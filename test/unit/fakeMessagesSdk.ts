import * as assert from 'node:assert/strict';
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming, MessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { RecordedRequest } from '../fakes/fakeAnthropicApi';
import { RATE_LIMIT_KINDS, RFC3339 } from './fakeApiSdk';

/** What the tests of the fake's Messages API (fakeMessages*.test.ts) share. */

// Not in the SDK's deprecated-model list, so the SDK prints no warning.
export const MODEL = 'claude-haiku-4-5-20251001';
export const TEXT = 'The quick brown fox jumps over the lazy dog.';

export function params(overrides: Partial<MessageCreateParamsNonStreaming> = {}): MessageCreateParamsNonStreaming {
  return { model: MODEL, max_tokens: 256, messages: [{ role: 'user', content: 'Hello there' }], ...overrides };
}

/** Waits (briefly) until the fake has seen the client's side of the connection close. */
export async function untilAborted(request: RecordedRequest): Promise<void> {
  const deadline = Date.now() + 500;
  while (!request.aborted && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.equal(request.aborted, true, 'the fake recorded the abort');
}

/** Streams with the MessageStream helper, collecting text deltas and stream event types. */
export function streamed(anthropic: Anthropic, body: MessageCreateParamsNonStreaming = params()) {
  const stream = anthropic.messages.stream(body);
  const texts: string[] = [];
  const events: string[] = [];
  stream.on('text', (delta) => texts.push(delta));
  stream.on('streamEvent', (event: MessageStreamEvent) => events.push(event.type));
  return { stream, texts, events };
}

export function expectedEvents(deltas: number): string[] {
  return ['message_start', 'content_block_start', ...Array<string>(deltas).fill('content_block_delta'), 'content_block_stop', 'message_delta', 'message_stop'];
}

export function assertRateLimitHeaders(headers: Headers): void {
  for (const kind of RATE_LIMIT_KINDS) {
    const limit = Number(headers.get(`anthropic-ratelimit-${kind}-limit`));
    const remaining = Number(headers.get(`anthropic-ratelimit-${kind}-remaining`));
    assert.ok(limit > 0 && remaining >= 0 && remaining <= limit, kind);
    assert.match(headers.get(`anthropic-ratelimit-${kind}-reset`) ?? '', RFC3339, kind);
  }
}
