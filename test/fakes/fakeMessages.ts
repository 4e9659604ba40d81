import { DEFAULT_MESSAGES, HttpError } from './fakeErrors';
import { contentText, validateMessagesBody, type FakeMessagesRequest, type MessagesCall } from './fakeMessagesRequest';
import type { FakeModels } from './fakeModels';
import { usageStartFields, type FakeUsageExtras } from './fakeUsage';
import { randomId, type Reply } from './fakeWire';

/**
 * POST /v1/messages (JSON or SSE) and POST /v1/messages/count_tokens: what the fake assistant answers,
 * cut to max_tokens and split into text deltas, planned once and then sent as JSON here or as SSE by
 * fakeMessagesStream.ts.
 */

/** What the fake assistant answers; see FakeAnthropicApi.setReply(). */
export interface FakeReply {
  text: string;
  /** Default: 'end_turn', or 'max_tokens' when the text had to be cut to fit max_tokens. */
  stopReason?: 'end_turn' | 'max_tokens' | 'stop_sequence';
  /** Default: estimateTokens() of the system prompt and every message's text. */
  inputTokens?: number;
  /** Default: estimateTokens() of the (possibly truncated) text. */
  outputTokens?: number;
  /** Characters (code points) per text_delta; default 8. */
  chunkSize?: number;
  /** Pause before every text_delta after the first; default 0. Streaming only. */
  delayMs?: number;
  /** Insert `event: ping` after every N text_deltas; default 0 = none. */
  pingEvery?: number;
  /** Cache tokens, server tool uses and service tier in `usage` (test/fakes/fakeUsage.ts). */
  usage?: FakeUsageExtras;
}

export type FakeReplySource = FakeReply | ((request: FakeMessagesRequest) => FakeReply);

/** The fake's deterministic token estimate: ceil(characters / 4). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** A Message ready to send, as JSON or as SSE. */
export interface PlannedMessage {
  readonly id: string;
  readonly model: string;
  readonly text: string;
  readonly stopReason: string;
  readonly stopSequence: string | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly deltas: readonly string[];
  readonly delayMs: number;
  readonly pingEvery: number;
  readonly usage?: FakeUsageExtras;
}

/** A streaming answer: the server core sends it with sendStream() (fakeMessagesStream.ts). */
export interface StreamReply {
  stream: PlannedMessage;
  headers: Record<string, string>;
}

/** What the Messages endpoints need from the fake's state. */
export interface MessagesContext {
  readonly models: FakeModels;
  readonly replySource: FakeReplySource | undefined;
  /** Counts the answer in the key's rate-limit window and returns its headers. */
  usageHeaders(inputTokens?: number, outputTokens?: number): Record<string, string>;
  /** The same for count_tokens, whose window and limits are its own. */
  countHeaders(): Record<string, string>;
}

const DEFAULT_CHUNK_SIZE = 8;

/** POST /v1/messages (JSON or SSE) and POST /v1/messages/count_tokens; throws HttpError for bad requests. */
export function messagesReply(method: string, path: string, body: string, context: MessagesContext): Reply | StreamReply {
  const countOnly = path === '/v1/messages/count_tokens';
  if (method !== 'POST' || (path !== '/v1/messages' && !countOnly)) {
    throw new HttpError(404, DEFAULT_MESSAGES.not_found_error);
  }
  const call = validateMessagesBody(body, countOnly, context.models);
  const estimatedInput = Math.max(1, estimateTokens(call.inputText));
  if (countOnly) {
    return { status: 200, body: { input_tokens: estimatedInput }, headers: context.countHeaders() };
  }
  const planned = planMessage(call, estimatedInput, context.replySource);
  const headers = context.usageHeaders(planned.inputTokens, planned.outputTokens);
  if (call.stream) {
    return { stream: planned, headers };
  }
  return { status: 200, body: messageObject(planned, planned.text, planned.stopReason, planned.stopSequence, planned.outputTokens), headers };
}

/** The Message object; `text` null gives the empty content of message_start. */
export function messageObject(plan: PlannedMessage, text: string | null, stopReason: string | null, stopSequence: string | null, outputTokens: number): Record<string, unknown> {
  return {
    id: plan.id,
    type: 'message',
    role: 'assistant',
    model: plan.model,
    content: text === null ? [] : [{ type: 'text', text }],
    stop_reason: stopReason,
    stop_sequence: stopSequence,
    usage: {
      input_tokens: plan.inputTokens,
      ...usageStartFields(plan.usage),
      output_tokens: outputTokens,
    },
  };
}

/** The reply (default: an echo of the last user text), cut to max_tokens at 4 characters a token. */
function planMessage(call: MessagesCall, estimatedInput: number, source: FakeReplySource | undefined): PlannedMessage {
  const { request } = call;
  const reply: FakeReply = source === undefined ? { text: `You said: ${lastUserText(request.messages)}` } : typeof source === 'function' ? source(request) : source;
  let text = String(reply.text);
  let stopReason = reply.stopReason ?? 'end_turn';
  const allowed = request.maxTokens * 4;
  if (text.length > allowed) {
    // Never cut a surrogate pair in half.
    const cut = isHighSurrogate(text.charCodeAt(allowed - 1)) ? allowed - 1 : allowed;
    text = text.slice(0, cut);
    stopReason = reply.stopReason ?? 'max_tokens';
  }
  const chunkSize = Math.max(1, Math.floor(reply.chunkSize ?? DEFAULT_CHUNK_SIZE));
  const codePoints = Array.from(text);
  const deltas: string[] = [];
  for (let i = 0; i < codePoints.length; i += chunkSize) {
    deltas.push(codePoints.slice(i, i + chunkSize).join(''));
  }
  return {
    id: `msg_01${randomId(22)}`,
    model: request.model,
    text,
    stopReason,
    stopSequence: stopReason === 'stop_sequence' ? (call.stopSequences[0] ?? null) : null,
    inputTokens: reply.inputTokens ?? estimatedInput,
    outputTokens: reply.outputTokens ?? estimateTokens(text),
    deltas,
    delayMs: Math.max(0, reply.delayMs ?? 0),
    pingEvery: Math.max(0, Math.floor(reply.pingEvery ?? 0)),
    usage: reply.usage,
  };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function lastUserText(messages: readonly unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown };
    if (m.role === 'user') {
      return contentText(m.content);
    }
  }
  return '';
}
