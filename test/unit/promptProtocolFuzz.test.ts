import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePanelState, parseWebviewMessage, type WebviewToHost } from '../../src/shared/promptProtocol';
import { ACTION_IDS, anyValue, hostileMessage, malformedMessage, validMessage, validSettings } from '../fakes/panelMessageArbitraries';

/** Runs per property: thousands of messages in all, still well inside the unit time-out. */
const RUNS = 2_000;

/** The keys each message type may carry after parsing: anything else was copied from the input. */
const ALLOWED_KEYS: Record<WebviewToHost['type'], readonly string[]> = {
  ready: ['type'],
  clearHistory: ['type'],
  send: ['type', 'prompt', 'settings'],
  stop: ['type', 'requestId'],
  copy: ['type', 'text'],
  insertAtCursor: ['type', 'text'],
  openAsDocument: ['type', 'text'],
  action: ['type', 'id'],
  countTokens: ['type', 'countId', 'prompt', 'model', 'system'],
};

/** What a parsed message must look like whatever the input was: plain, typed, only known fields. */
function assertCanonical(message: WebviewToHost, input: unknown): void {
  assert.notEqual(message, input, 'the parser handed back the input object itself');
  assert.equal(Object.getPrototypeOf(message), Object.prototype);
  assert.deepEqual(Object.keys(message).sort(), [...ALLOWED_KEYS[message.type]].sort());
  if (message.type === 'send') {
    assert.equal(typeof message.prompt, 'string');
    assert.notEqual(message.prompt.trim(), '');
    assert.deepEqual(Object.keys(message.settings).sort(), ['maxTokens', 'model', 'system', 'temperature']);
  }
  if (message.type === 'action') {
    assert.ok(ACTION_IDS.includes(message.id));
  }
  // Parsing is idempotent: what the host acts on is itself a valid message that parses to itself.
  assert.deepEqual(parseWebviewMessage(message), message);
}

describe('shared/promptProtocol: webview message fuzz (fast-check)', () => {
  it(`accepts every well-formed message as exactly its known fields (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(validMessage, ({ raw, parsed }) => {
        const result = parseWebviewMessage(raw);
        assert.deepEqual(result, parsed);
        assertCanonical(result as WebviewToHost, raw);
      }),
      { numRuns: RUNS },
    );
  });

  it(`drops every malformed message: wrong shape, unknown type, one field broken (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(malformedMessage, (raw) => {
        assert.equal(parseWebviewMessage(raw), undefined, `accepted ${show(raw)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it(`never throws on anything postMessage can carry, and what it accepts is canonical (${RUNS * 2} runs)`, () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(anyValue, hostileMessage, validMessage.map((m) => m.raw)), (raw) => {
        const result = parseWebviewMessage(raw);
        if (result !== undefined) {
          accepted++;
          assertCanonical(result, raw);
        }
      }),
      { numRuns: RUNS * 2 },
    );
    // The stream mixes well-formed messages in: the check above must have run on some.
    assert.ok(accepted > 0, 'no message was accepted: the canonical-form checks never ran');
  });

  it(`drops every hostile message the integration and e2e fuzzers post (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(hostileMessage, (raw) => {
        assert.equal(parseWebviewMessage(raw), undefined, `accepted ${show(raw)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it(`restored panel state: never throws, takes only a well-formed state, never copies unknown fields (${RUNS} runs)`, () => {
    const validState = fc.record({
      settings: validSettings,
      prompt: fc.string({ maxLength: 40 }),
      answer: fc.string({ maxLength: 40 }),
      answerStatus: fc.constantFrom('idle', 'streaming', 'done', 'stopped', 'error'),
    });
    fc.assert(
      fc.property(fc.oneof(anyValue, validState, validState.map((s) => ({ ...s, answerStatus: 'hacked' })), validState.map((s) => ({ ...s, settings: { ...s.settings, maxTokens: -1 } }))), (raw) => {
        const state = parsePanelState(raw);
        if (state === undefined) {
          return;
        }
        assert.deepEqual(Object.keys(state).sort(), ['answer', 'answerStatus', 'metrics', 'prompt', 'settings']);
        assert.ok(['idle', 'streaming', 'done', 'stopped', 'error'].includes(state.answerStatus));
        assert.deepEqual(parsePanelState(state), state);
      }),
      { numRuns: RUNS },
    );
  });
});

/** A short, safe description of a value for a failure message. */
function show(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'string' && v.length > 60 ? `${v.slice(0, 60)}…(${v.length})` : v)) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
