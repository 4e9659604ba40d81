import * as assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { sdkSuite } from './fakeApiSdk';
import { rejection } from './fakeApiSuite';
import { assertRateLimitHeaders, expectedEvents, MODEL, params, streamed, TEXT, untilAborted } from './fakeMessagesSdk';

/**
 * Streaming from the fake's Messages API through the real `@anthropic-ai/sdk` 1.14 (raw fetch only to read
 * the SSE wire format). The stream-fault tests pin down what the SDK does with each fault, since callers
 * rely on those exact classes and messages.
 */
let fake: FakeAnthropicApi;

describe('FakeAnthropicApi Messages API through the real @anthropic-ai/sdk', () => {
  const { clientWithNewKey: client } = sdkSuite((started) => (fake = started));

  describe('streaming', () => {
    it('on(text) deltas concatenate to the text; finalMessage and event order are exact', async () => {
      fake.setReply({ text: TEXT, inputTokens: 7 });
      const { stream, texts, events } = streamed(client());
      const message = await stream.finalMessage();
      assert.equal(texts.join(''), TEXT);
      assert.deepEqual(
        texts.map((t) => t.length),
        [8, 8, 8, 8, 8, 4],
        'default chunkSize is 8',
      );
      assert.deepEqual(events, expectedEvents(6));
      assert.deepEqual(message.content, [{ type: 'text', text: TEXT }]);
      assert.equal(message.stop_reason, 'end_turn');
      assert.equal(message.stop_sequence, null);
      assert.deepEqual(message.usage, { input_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: Math.ceil(TEXT.length / 4) });
      assert.match(message.id, /^msg_01/);
      assert.equal(fake.requests[0].aborted, false);
      assert.equal(fake.messagesRequests()[0].stream, true);
    });

    it('sends text/event-stream with request-id and rate-limit headers', async () => {
      const stream = client().messages.stream(params());
      const { response, request_id } = await stream.withResponse();
      await stream.done();
      assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      assert.match(request_id ?? '', /^req_\w+$/);
      assertRateLimitHeaders(response.headers);
    });

    it('wire format: event/data pairs in the API order, message_start usage output 1, pings when configured', async () => {
      fake.setReply({ text: 'abcdefghij', chunkSize: 2, pingEvery: 2, inputTokens: 9 });
      const key = fakeKeys.apiKey();
      fake.addApiKey(key);
      const response = await fetch(`${fake.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
        body: JSON.stringify({ ...params(), stream: true }),
      });
      const wire = await response.text();
      const blocks = wire.split('\n\n');
      assert.equal(blocks.pop(), '', 'every event ends with a blank line');
      const parsed = blocks.map((block) => {
        const match = /^event: (\w+)\ndata: (.*)$/.exec(block);
        assert.ok(match, block);
        return { name: match[1], data: match[2] };
      });
      assert.deepEqual(
        parsed.map((e) => e.name),
        [
          'message_start',
          'content_block_start',
          'content_block_delta',
          'content_block_delta',
          'ping',
          'content_block_delta',
          'content_block_delta',
          'ping',
          'content_block_delta',
          'content_block_stop',
          'message_delta',
          'message_stop',
        ],
      );
      assert.equal(parsed[4].data, '{"type": "ping"}');
      const start = JSON.parse(parsed[0].data);
      assert.deepEqual(start.message.content, []);
      assert.equal(start.message.stop_reason, null);
      assert.deepEqual(start.message.usage, { input_tokens: 9, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 });
      assert.deepEqual(JSON.parse(parsed[1].data), { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
      assert.deepEqual(JSON.parse(parsed[2].data), { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ab' } });
      assert.deepEqual(JSON.parse(parsed[9].data), { type: 'content_block_stop', index: 0 });
      assert.deepEqual(JSON.parse(parsed[10].data), { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 3 } });
      assert.deepEqual(JSON.parse(parsed[11].data), { type: 'message_stop' });
    });

    it('the SDK skips the pings: same streamEvent order, same text', async () => {
      fake.setReply({ text: 'abcdefghij', chunkSize: 2, pingEvery: 1 });
      const { stream, texts, events } = streamed(client());
      await stream.done();
      assert.deepEqual(events, expectedEvents(5));
      assert.deepEqual(texts, ['ab', 'cd', 'ef', 'gh', 'ij']);
    });

    it('honours chunkSize and delayMs (code points, never half a surrogate pair)', async () => {
      fake.setReply({ text: 'a😀bc😀def', chunkSize: 3, delayMs: 25 });
      const started = Date.now();
      const { stream, texts } = streamed(client());
      await stream.done();
      const elapsed = Date.now() - started;
      assert.deepEqual(texts, ['a😀b', 'c😀d', 'ef']);
      assert.ok(elapsed >= 45, `two 25 ms pauses, took ${elapsed} ms`);
      assert.ok(elapsed < 500, `took ${elapsed} ms`);
    });

    it('max_tokens truncation streams the cut text with stop_reason max_tokens', async () => {
      fake.setReply({ text: 'x'.repeat(50) });
      const { stream, texts } = streamed(client(), params({ max_tokens: 3 }));
      const message = await stream.finalMessage();
      assert.equal(texts.join(''), 'x'.repeat(12));
      assert.equal(message.stop_reason, 'max_tokens');
      assert.equal(message.usage.output_tokens, 3);
    });

    it('create({ stream: true }) yields the raw events in order', async () => {
      fake.setReply({ text: 'hello world', chunkSize: 6 });
      const events: string[] = [];
      let text = '';
      for await (const event of await client().messages.create({ ...params(), stream: true })) {
        events.push(event.type);
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
          text += event.delta.text;
        }
      }
      assert.deepEqual(events, expectedEvents(2));
      assert.equal(text, 'hello world');
    });
  });

  describe('stream faults (what SDK 1.14 does with each)', () => {
    it('streamError: MessageStream rejects with a plain APIError without status, type from the event', async () => {
      fake.setReply({ text: TEXT, chunkSize: 5 });
      fake.enqueueFault('messages', { kind: 'streamError', afterDeltas: 2 });
      const { stream, texts } = streamed(client());
      const error = await rejection(stream.finalMessage());
      assert.ok(error instanceof Anthropic.APIError, String(error));
      assert.equal(error.constructor, Anthropic.APIError, 'not a status subclass');
      assert.ok(!(error instanceof Anthropic.APIConnectionError));
      assert.equal(error.status, undefined);
      assert.equal(error.type, 'overloaded_error');
      assert.equal(error.apiMessage, 'Overloaded');
      assert.equal(error.message, '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}');
      assert.match(error.requestID ?? '', /^req_/, 'requestID comes from the 200 response headers');
      assert.deepEqual(texts, ['The q', 'uick ']);
      assert.equal(fake.requests[0].aborted, false);
    });

    it('streamError with a custom type and message; create({ stream: true }) throws it from the iterator', async () => {
      fake.enqueueFault('messages', { kind: 'streamError', afterDeltas: 0, errorType: 'api_error', message: 'Internal server error' });
      const error = await rejection(
        (async () => {
          for await (const event of await client().messages.create({ ...params(), stream: true })) {
            assert.notEqual(event.type, 'content_block_delta');
          }
        })(),
      );
      assert.ok(error instanceof Anthropic.APIError);
      assert.equal(error.status, undefined);
      assert.equal(error.type, 'api_error');
      assert.equal(error.apiMessage, 'Internal server error');
    });

    it('streamReset: MessageStream rejects with AnthropicError "terminated" (not APIError/APIConnectionError)', async () => {
      fake.setReply({ text: TEXT, chunkSize: 5 });
      fake.enqueueFault('messages', { kind: 'streamReset', afterDeltas: 2 });
      const { stream, texts } = streamed(client());
      const error = await rejection(stream.finalMessage());
      assert.ok(error instanceof Anthropic.AnthropicError, String(error));
      assert.ok(!(error instanceof Anthropic.APIError));
      assert.equal(error.message, 'terminated');
      const cause = (error as { cause?: unknown }).cause;
      assert.ok(cause instanceof TypeError);
      assert.equal(cause.message, 'terminated');
      assert.match(String((cause as { cause?: unknown }).cause), /other side closed/);
      assert.deepEqual(texts, ['The q', 'uick ']);
      assert.equal(fake.requests[0].aborted, false, 'the fake cut it, not the client');
    });

    it('streamReset: create({ stream: true }) throws the raw undici TypeError "terminated"', async () => {
      fake.enqueueFault('messages', { kind: 'streamReset', afterDeltas: 1 });
      const error = await rejection(
        (async () => {
          for await (const event of await client().messages.create({ ...params(), stream: true })) {
            void event;
          }
        })(),
      );
      assert.ok(error instanceof TypeError, String(error));
      assert.ok(!(error instanceof Anthropic.AnthropicError));
      assert.equal(error.message, 'terminated');
    });

    it('malformedLine without an event name: skipped silently, the whole text still arrives', async () => {
      fake.setReply({ text: TEXT, chunkSize: 5 });
      fake.enqueueFault('messages', { kind: 'malformedLine', afterDeltas: 2 });
      const { stream, texts, events } = streamed(client());
      const message = await stream.finalMessage();
      assert.equal(texts.join(''), TEXT);
      assert.equal(message.content[0].type === 'text' && message.content[0].text, TEXT);
      assert.deepEqual(events, expectedEvents(9));
    });

    it('malformedLine under an event name: AnthropicError wrapping the JSON SyntaxError', async () => {
      fake.setReply({ text: TEXT, chunkSize: 5 });
      fake.enqueueFault('messages', { kind: 'malformedLine', afterDeltas: 2, event: 'content_block_delta' });
      // The SDK logs the bad line at error level before throwing; keep the test output clean.
      const { stream, texts } = streamed(client({ logLevel: 'off' }));
      const error = await rejection(stream.finalMessage());
      assert.ok(error instanceof Anthropic.AnthropicError, String(error));
      assert.ok(!(error instanceof Anthropic.APIError));
      assert.ok((error as { cause?: unknown }).cause instanceof SyntaxError);
      assert.deepEqual(texts, ['The q', 'uick ']);
    });

    it('stall: the SDK timeout only covers the headers, so the stream waits; abort() ends it and the fake records it', async () => {
      fake.setReply({ text: TEXT, chunkSize: 5 });
      fake.enqueueFault('messages', { kind: 'stall', afterDeltas: 1 });
      const { stream, texts } = streamed(client({ timeout: 100 }));
      const outcome = rejection(stream.finalMessage());
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(stream.ended, false, 'still open three timeouts later');
      assert.deepEqual(texts, ['The q']);
      stream.abort();
      const error = await outcome;
      assert.ok(error instanceof Anthropic.APIUserAbortError, String(error));
      assert.equal(error.message, 'Request was aborted.');
      assert.equal(error.status, undefined);
      await untilAborted(fake.requests[0]);
    });

    it('stall: close() ends the stream (AnthropicError "terminated") and it is not recorded as aborted', async () => {
      const other = await FakeAnthropicApi.start();
      const key = fakeKeys.apiKey();
      other.addApiKey(key);
      other.enqueueFault('messages', { kind: 'stall', afterDeltas: 0 });
      const stream = new Anthropic({ apiKey: key, baseURL: other.url, maxRetries: 0 }).messages.stream(params());
      const outcome = rejection(stream.finalMessage());
      await stream.withResponse();
      await other.close();
      const error = await outcome;
      assert.ok(error instanceof Anthropic.AnthropicError && !(error instanceof Anthropic.APIError), String(error));
      assert.equal(error.message, 'terminated');
      assert.equal(other.requests[0].aborted, false);
    });

    it('abort mid-stream: APIUserAbortError, and the fake stops writing and records aborted', async () => {
      fake.setReply({ text: 'x'.repeat(400), chunkSize: 2, delayMs: 5 });
      const { stream, texts } = streamed(client());
      stream.on('text', () => {
        if (texts.length === 2) {
          stream.abort();
        }
      });
      const error = await rejection(stream.finalMessage());
      assert.ok(error instanceof Anthropic.APIUserAbortError, String(error));
      assert.equal(stream.aborted, true);
      await untilAborted(fake.requests[0]);
      assert.ok(texts.length < 200);
    });

    it('stream faults wait for a streaming request; JSON requests pass them by', async () => {
      fake.enqueueFault('messages', { kind: 'streamError', afterDeltas: 0 });
      const anthropic = client();
      assert.equal((await anthropic.messages.create(params())).type, 'message');
      assert.equal((await anthropic.messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'x' }] })).input_tokens, 1);
      const error = await rejection(anthropic.messages.stream(params()).finalMessage());
      assert.ok(error instanceof Anthropic.APIError && error.status === undefined);
      await anthropic.messages.stream(params()).done();
    });
  });
});
