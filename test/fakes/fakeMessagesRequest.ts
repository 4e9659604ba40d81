import { HttpError } from './fakeErrors';
import type { FakeModels } from './fakeModels';
import { parseJsonObject } from './fakeWire';

/**
 * A POST /v1/messages or /v1/messages/count_tokens body, validated with the API's own 400/404
 * messages so the SDK's errors read as they would against the real API.
 */

/** The request as a reply function sees it (system flattened to its text). */
export interface FakeMessagesRequest {
  model: string;
  system?: string;
  messages: unknown[];
  maxTokens: number;
  temperature?: number;
}

/** A validated POST /v1/messages or /v1/messages/count_tokens body. */
export interface MessagesCall {
  readonly request: FakeMessagesRequest;
  readonly stream: boolean;
  readonly stopSequences: readonly string[];
  /** The text the input estimate is taken from: system prompt and every message. */
  readonly inputText: string;
}

/** The text of a message's content: the string itself, or its text blocks joined. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') {
    return content;
  }
  if (!Array.isArray(content)) {
    return '';
  }
  return content
    .map((block: unknown) => {
      const b = block as { type?: unknown; text?: unknown };
      return b.type === 'text' && typeof b.text === 'string' ? b.text : '';
    })
    .join('');
}

/**
 * Validates a Messages (or count_tokens) body with the API's messages, in this order: JSON object, model
 * (400 if missing or not a string, 404 `model: <id>` if unknown), max_tokens (not for count_tokens),
 * messages, system, temperature, stream. Unknown fields are let through.
 */
export function validateMessagesBody(body: string, countOnly: boolean, models: FakeModels): MessagesCall {
  const parsed = parseJsonObject(body);
  if (!parsed) {
    throw new HttpError(400, 'There was an error parsing the body of your request. Please ensure the body is valid JSON.');
  }
  const { model, max_tokens: maxTokens, messages, system, temperature, stream, stop_sequences: stopSequences } = parsed;
  if (model === undefined) {
    throw new HttpError(400, 'model: Field required');
  }
  if (typeof model !== 'string' || model.length === 0) {
    throw new HttpError(400, 'model: Input should be a valid string');
  }
  const resolved = models.find(model)?.id;
  if (resolved === undefined) {
    throw new HttpError(404, `model: ${model}`);
  }
  if (!countOnly) {
    validateMaxTokens(maxTokens, resolved, models.maxOutputTokens(resolved));
  }
  let inputText = validateMessages(messages);
  let systemText: string | undefined;
  if (system !== undefined) {
    if (typeof system === 'string') {
      systemText = system;
    } else if (Array.isArray(system) && system.every((b: unknown) => (b as { type?: unknown } | null)?.type === 'text' && typeof (b as { text?: unknown }).text === 'string')) {
      systemText = contentText(system);
    } else {
      throw new HttpError(400, 'system: Input should be a valid string or a list of text blocks');
    }
    inputText = systemText + inputText;
  }
  if (temperature !== undefined) {
    if (typeof temperature !== 'number' || !Number.isFinite(temperature)) {
      throw new HttpError(400, 'temperature: Input should be a valid number');
    }
    if (temperature < 0 || temperature > 1) {
      throw new HttpError(400, `temperature: Input should be ${temperature < 0 ? 'greater than or equal to 0' : 'less than or equal to 1'}`);
    }
  }
  if (stream !== undefined && typeof stream !== 'boolean') {
    throw new HttpError(400, 'stream: Input should be a valid boolean');
  }
  const request: FakeMessagesRequest = { model, messages: messages as unknown[], maxTokens: countOnly ? 0 : (maxTokens as number) };
  if (systemText !== undefined) {
    request.system = systemText;
  }
  if (typeof temperature === 'number') {
    request.temperature = temperature;
  }
  return {
    request,
    stream: stream === true,
    stopSequences: Array.isArray(stopSequences) ? stopSequences.filter((s): s is string => typeof s === 'string') : [],
    inputText,
  };
}

function validateMaxTokens(maxTokens: unknown, model: string, limit: number | undefined): void {
  if (maxTokens === undefined) {
    throw new HttpError(400, 'max_tokens: Field required');
  }
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens)) {
    throw new HttpError(400, 'max_tokens: Input should be a valid integer');
  }
  if (maxTokens < 1) {
    throw new HttpError(400, 'max_tokens: Input should be greater than or equal to 1');
  }
  if (limit !== undefined && maxTokens > limit) {
    throw new HttpError(400, `max_tokens: ${maxTokens} > ${limit}, which is the maximum allowed number of output tokens for ${model}`);
  }
}

/** Checks the turns (roles alternate, user first, content present) and returns their text. */
function validateMessages(messages: unknown): string {
  if (messages === undefined) {
    throw new HttpError(400, 'messages: Field required');
  }
  if (!Array.isArray(messages)) {
    throw new HttpError(400, 'messages: Input should be a valid list');
  }
  if (messages.length === 0) {
    throw new HttpError(400, 'messages: at least one message is required');
  }
  let inputText = '';
  messages.forEach((message: unknown, i) => {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      throw new HttpError(400, `messages.${i}: Input should be a valid dictionary`);
    }
    const { role, content } = message as { role?: unknown; content?: unknown };
    if (role !== 'user' && role !== 'assistant') {
      throw new HttpError(400, role === undefined ? `messages.${i}.role: Field required` : `messages.${i}.role: Input should be 'user' or 'assistant'`);
    }
    if (i === 0 && role !== 'user') {
      throw new HttpError(400, 'messages: first message must use the "user" role');
    }
    if (i > 0 && (messages[i - 1] as { role: unknown }).role === role) {
      throw new HttpError(400, `messages: roles must alternate between "user" and "assistant", but found multiple "${role}" roles in a row`);
    }
    if (content === undefined) {
      throw new HttpError(400, `messages.${i}.content: Field required`);
    }
    if (typeof content !== 'string' && !Array.isArray(content)) {
      throw new HttpError(400, `messages.${i}.content: Input should be a valid string or a valid list`);
    }
    // A final assistant turn may be empty-ish (prefill); anything else needs content.
    const last = i === messages.length - 1 && role === 'assistant';
    if (!last && (content.length === 0 || (typeof content === 'string' && content.trim() === ''))) {
      throw new HttpError(400, `messages.${i}: all messages must have non-empty content except for the optional final assistant message`);
    }
    if (Array.isArray(content)) {
      content.forEach((block: unknown, j) => {
        const b = block as { type?: unknown; text?: unknown } | null;
        if (typeof b !== 'object' || b === null || typeof b.type !== 'string') {
          throw new HttpError(400, `messages.${i}.content.${j}.type: Field required`);
        }
        if (b.type === 'text' && typeof b.text !== 'string') {
          throw new HttpError(400, `messages.${i}.content.${j}.text: Field required`);
        }
      });
    }
    inputText += contentText(content);
  });
  return inputText;
}
