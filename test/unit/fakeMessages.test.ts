import * as assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import type { FakeAnthropicApi, FakeMessagesRequest } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { sdkSuite } from './fakeApiSdk';
import { rejection } from './fakeApiSuite';
import { assertRateLimitHeaders, MODEL, params, TEXT, untilAborted } from './fakeMessagesSdk';

/** The fake's Messages API through the real `@anthropic-ai/sdk` 1.14: JSON messages, validation, count_tokens, HTTP faults and reset. */
let fake: FakeAnthropicApi;

describe('FakeAnthropicApi Messages API through the real @anthropic-ai/sdk', () => {
  const { clientWithNewKey: client } = sdkSuite((started) => (fake = started));

  describe('POST /v1/messages (JSON)', () => {
    it('returns the configured Message with exact usage, stop_reason, id and headers', async () => {
      fake.setReply({ text: TEXT, inputTokens: 12, outputTokens: 34 });
      const { data: message, response } = await client().messages.create(params()).withResponse();
      // _request_id is non-enumerable, so the spread holds exactly the JSON fields.
      assert.deepEqual(
        { ...message },
        {
          id: message.id,
          type: 'message',
          role: 'assistant',
          model: MODEL,
          content: [{ type: 'text', text: TEXT }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 34 },
        },
      );
      assert.match(message.id, /^msg_01[A-Za-z0-9]{22}$/);
      assert.match(response.headers.get('request-id') ?? '', /^req_\w+$/);
      assert.equal((message as { _request_id?: string | null })._request_id, response.headers.get('request-id'));
      assert.equal(response.headers.get('content-type'), 'application/json');
      assertRateLimitHeaders(response.headers);
      const [request] = fake.requests;
      assert.deepEqual([request.method, request.path, request.route, request.aborted], ['POST', '/v1/messages', 'messages', false]);
      assert.deepEqual(fake.messagesRequests(), [params()]);
    });

    it('echoes the last user text by default, with ceil(chars / 4) token estimates (system included)', async () => {
      const message = await client().messages.create(
        params({
          system: [{ type: 'text', text: 'Be brief.' }],
          messages: [
            { role: 'user', content: 'first' },
            { role: 'assistant', content: 'ok' },
            { role: 'user', content: [{ type: 'text', text: 'second ' }, { type: 'text', text: 'question' }] },
          ],
        }),
      );
      assert.deepEqual(message.content, [{ type: 'text', text: 'You said: second question' }]);
      assert.equal(message.stop_reason, 'end_turn');
      // 'Be brief.' + 'first' + 'ok' + 'second question' = 31 characters.
      assert.equal(message.usage.input_tokens, Math.ceil(31 / 4));
      assert.equal(message.usage.output_tokens, Math.ceil('You said: second question'.length / 4));
    });

    it('a reply function sees model, flattened system, messages, maxTokens and temperature', async () => {
      const seen: FakeMessagesRequest[] = [];
      fake.setReply((request) => {
        seen.push(request);
        return { text: `${request.model}/${request.maxTokens}`, stopReason: 'stop_sequence' };
      });
      const messages = [{ role: 'user' as const, content: 'hi' }];
      // SDK 1.14's types no longer list temperature; the API (and the SDK at run time) still take it.
      const body = { ...params({ model: 'claude-haiku-4-5', system: 'sys', max_tokens: 99, messages, stop_sequences: ['END'] }), temperature: 0.5 };
      const message = await client().messages.create(body);
      assert.deepEqual(seen, [{ model: 'claude-haiku-4-5', system: 'sys', messages, maxTokens: 99, temperature: 0.5 }]);
      // An alias is accepted and echoed as sent.
      assert.equal(message.model, 'claude-haiku-4-5');
      assert.equal(message.content[0].type === 'text' && message.content[0].text, 'claude-haiku-4-5/99');
      assert.equal(message.stop_reason, 'stop_sequence');
      assert.equal(message.stop_sequence, 'END');
    });

    it('token rate-limit headers count what the key used this minute (rounded to thousands)', async () => {
      fake.setReply({ text: 'x', inputTokens: 300_000, outputTokens: 50_000 });
      const { response } = await client().messages.create(params()).withResponse();
      assert.equal(response.headers.get('anthropic-ratelimit-input-tokens-remaining'), '1700000');
      assert.equal(response.headers.get('anthropic-ratelimit-output-tokens-remaining'), '350000');
      assert.equal(response.headers.get('anthropic-ratelimit-tokens-remaining'), '2050000');
      assert.equal(response.headers.get('anthropic-ratelimit-requests-remaining'), '3999');
    });

    it('cuts text longer than max_tokens allows (4 characters a token) with stop_reason max_tokens', async () => {
      const long = 'abcdefghij'.repeat(10);
      fake.setReply({ text: long });
      const message = await client().messages.create(params({ max_tokens: 5 }));
      assert.deepEqual(message.content, [{ type: 'text', text: long.slice(0, 20) }]);
      assert.equal(message.stop_reason, 'max_tokens');
      assert.equal(message.usage.output_tokens, 5);
      fake.setReply({ text: long, stopReason: 'end_turn' });
      const explicit = await client().messages.create(params({ max_tokens: 5 }));
      assert.equal(explicit.stop_reason, 'end_turn', 'an explicit stop reason wins');
      assert.equal(explicit.content[0].type === 'text' && explicit.content[0].text, long.slice(0, 20));
    });
  });

  describe('validation', () => {
    const invalid: Array<[string, Record<string, unknown>, RegExp]> = [
      ['model missing', { max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, /^model: Field required$/],
      ['model not a string', { model: 42, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, /^model: /],
      ['max_tokens missing', { model: MODEL, messages: [{ role: 'user', content: 'hi' }] }, /^max_tokens: Field required$/],
      ['max_tokens 0', { model: MODEL, max_tokens: 0, messages: [{ role: 'user', content: 'hi' }] }, /^max_tokens: Input should be greater than or equal to 1$/],
      ['max_tokens fractional', { model: MODEL, max_tokens: 1.5, messages: [{ role: 'user', content: 'hi' }] }, /^max_tokens: Input should be a valid integer$/],
      ['max_tokens above the model limit', { model: MODEL, max_tokens: 64_001, messages: [{ role: 'user', content: 'hi' }] }, /^max_tokens: 64001 > 64000/],
      ['messages missing', { model: MODEL, max_tokens: 10 }, /^messages: Field required$/],
      ['messages empty', { model: MODEL, max_tokens: 10, messages: [] }, /^messages: at least one message is required$/],
      ['assistant first', { model: MODEL, max_tokens: 10, messages: [{ role: 'assistant', content: 'hi' }] }, /first message must use the "user" role/],
      [
        'two user turns in a row',
        {
          model: MODEL,
          max_tokens: 10,
          messages: [
            { role: 'user', content: 'a' },
            { role: 'user', content: 'b' },
          ],
        },
        /roles must alternate between "user" and "assistant"/,
      ],
      ['an unknown role', { model: MODEL, max_tokens: 10, messages: [{ role: 'system', content: 'hi' }] }, /^messages\.0\.role: /],
      ['temperature above 1', { model: MODEL, max_tokens: 10, temperature: 1.5, messages: [{ role: 'user', content: 'hi' }] }, /^temperature: Input should be less than or equal to 1$/],
      ['temperature below 0', { model: MODEL, max_tokens: 10, temperature: -0.1, messages: [{ role: 'user', content: 'hi' }] }, /^temperature: Input should be greater than or equal to 0$/],
    ];
    for (const [name, body, message] of invalid) {
      it(`${name} is BadRequestError 400 invalid_request_error`, async () => {
        const error = await rejection(client().post('/v1/messages', { body }));
        assert.ok(error instanceof Anthropic.BadRequestError, String(error));
        assert.equal(error.status, 400);
        assert.equal(error.type, 'invalid_request_error');
        assert.match(error.apiMessage ?? '', message);
        assert.match(error.requestID ?? '', /^req_/);
      });
    }

    it('the typed SDK call rejects bad params the same way (create and stream)', async () => {
      const anthropic = client();
      const hot = { ...params(), temperature: 2 };
      const bad = await rejection(anthropic.messages.create(hot));
      assert.ok(bad instanceof Anthropic.BadRequestError);
      const streamBad = await rejection(anthropic.messages.stream(params({ messages: [] })).finalMessage());
      assert.ok(streamBad instanceof Anthropic.BadRequestError);
      assert.equal(streamBad.apiMessage, 'messages: at least one message is required');
    });

    it('an unknown model is NotFoundError 404 not_found_error "model: <id>"', async () => {
      const error = await rejection(client().messages.create(params({ model: 'claude-nonexistent-1' })));
      assert.ok(error instanceof Anthropic.NotFoundError, String(error));
      assert.equal(error.status, 404);
      assert.equal(error.type, 'not_found_error');
      assert.equal(error.apiMessage, 'model: claude-nonexistent-1');
    });

    it('auth comes first: an unknown key is 401 even for a valid body', async () => {
      const anthropic = new Anthropic({ apiKey: fakeKeys.apiKey(), baseURL: fake.url, maxRetries: 0 });
      assert.ok((await rejection(anthropic.messages.create(params()))) instanceof Anthropic.AuthenticationError);
    });
  });

  describe('POST /v1/messages/count_tokens', () => {
    it('returns { input_tokens } with the same estimate and needs no max_tokens', async () => {
      const anthropic = client();
      const count = await anthropic.messages.countTokens({ model: MODEL, system: 'You are terse.', messages: [{ role: 'user', content: 'How many tokens is this?' }] });
      assert.deepEqual({ ...count }, { input_tokens: Math.ceil(('You are terse.'.length + 'How many tokens is this?'.length) / 4) });
      const message = await anthropic.messages.create(params({ system: 'You are terse.', messages: [{ role: 'user', content: 'How many tokens is this?' }] }));
      assert.equal(message.usage.input_tokens, count.input_tokens);
      assert.equal(fake.requests[0].path, '/v1/messages/count_tokens');
      assert.equal(fake.messagesRequests().length, 1, 'count_tokens is not a messages request');
    });

    it('has a requests window of its own: counts do not use up the messages limits, nor messages the count limits', async () => {
      const anthropic = client();
      const count = (): Promise<Headers> => anthropic.messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).withResponse().then((r) => r.response.headers);
      const first = await count();
      const second = await count();
      const limit = Number(first.get('anthropic-ratelimit-requests-limit'));
      assert.deepEqual([Number(first.get('anthropic-ratelimit-requests-remaining')), Number(second.get('anthropic-ratelimit-requests-remaining'))], [limit - 1, limit - 2]);
      assert.equal(first.get('anthropic-ratelimit-input-tokens-limit'), null, 'no token limits on counting');
      const { response } = await anthropic.messages.create(params()).withResponse();
      const messagesLimit = Number(response.headers.get('anthropic-ratelimit-requests-limit'));
      assert.notEqual(messagesLimit, limit);
      assert.equal(Number(response.headers.get('anthropic-ratelimit-requests-remaining')), messagesLimit - 1, 'the counts were not messages');
      assert.equal(Number((await count()).get('anthropic-ratelimit-requests-remaining')), limit - 3, 'the message was not a count');
    });

    it('validates like messages', async () => {
      const anthropic = client();
      assert.ok((await rejection(anthropic.messages.countTokens({ model: MODEL, messages: [] }))) instanceof Anthropic.BadRequestError);
      assert.ok((await rejection(anthropic.messages.countTokens({ model: 'claude-nope', messages: [{ role: 'user', content: 'x' }] }))) instanceof Anthropic.NotFoundError);
    });
  });

  describe('HTTP faults on messages', () => {
    it('429 with retry-after 1 then success: the SDK retries by itself (maxRetries 2)', async function () {
      this.timeout(4_000);
      this.slow(2_500);
      fake.setReply({ text: TEXT });
      fake.enqueueFault('messages', { kind: 'rateLimit', retryAfterSeconds: 1 });
      const started = Date.now();
      const message = await client({ maxRetries: 2 }).messages.stream(params()).finalMessage();
      assert.equal(message.content[0].type === 'text' && message.content[0].text, TEXT);
      assert.ok(Date.now() - started >= 950, 'waited for retry-after');
      assert.equal(fake.requests.length, 2);
      assert.deepEqual(
        fake.requests.map((r) => r.headers['x-stainless-retry-count']),
        ['0', '1'],
      );
    });

    it('529 is OverloadedError for create and for stream', async () => {
      fake.enqueueFault('messages', { kind: 'status', status: 529 }, 2);
      const anthropic = client();
      for (const error of [await rejection(anthropic.messages.create(params())), await rejection(anthropic.messages.stream(params()).finalMessage())]) {
        assert.ok(error instanceof Anthropic.OverloadedError, String(error));
        assert.equal(error.status, 529);
        assert.equal(error.type, 'overloaded_error');
      }
    });

    it('drop is APIConnectionError; hang plus SDK timeout is APIConnectionTimeoutError and recorded as aborted', async () => {
      fake.enqueueFault('messages', { kind: 'drop' });
      const dropped = await rejection(client().messages.stream(params()).finalMessage());
      assert.ok(dropped instanceof Anthropic.APIConnectionError && !(dropped instanceof Anthropic.APIConnectionTimeoutError), String(dropped));
      assert.equal(fake.requests[0].aborted, false);
      fake.enqueueFault('messages', { kind: 'hang' });
      const timedOut = await rejection(client({ timeout: 150 }).messages.create(params()));
      assert.ok(timedOut instanceof Anthropic.APIConnectionTimeoutError, String(timedOut));
      await untilAborted(fake.requests[1]);
    });

    it('delay answers the stream normally afterwards', async () => {
      fake.enqueueFault('messages', { kind: 'delay', ms: 100 });
      const started = Date.now();
      const message = await client().messages.stream(params()).finalMessage();
      assert.ok(Date.now() - started >= 95);
      assert.equal(message.content[0].type === 'text' && message.content[0].text, 'You said: Hello there');
    });
  });

  it('reset() restores the default reply and drops queued stream faults', async () => {
    fake.setReply({ text: 'custom' });
    fake.enqueueFault('messages', { kind: 'stall', afterDeltas: 0 });
    fake.reset();
    const message = await client().messages.stream(params()).finalMessage();
    assert.equal(message.content[0].type === 'text' && message.content[0].text, 'You said: Hello there');
  });
});
