import fc from 'fast-check';
import { LIMITS, type ProblemActionId, type PromptSettings, type WebviewToHost } from '../../src/shared/promptProtocol';

/**
 * Generators of messages "from the panel side" for the webview protocol fuzz tests: well-formed
 * messages (with the value the host must make of them), and malformed ones that the host must drop.
 * Written from the protocol's contract (src/shared/promptProtocol.ts), not from its parser.
 */

export const ACTION_IDS: readonly ProblemActionId[] = ['setApiKey', 'rotateApiKey', 'openConsole', 'openLimits', 'openStatusPage', 'openSettings', 'openBilling', 'retry'];
const TYPES = ['ready', 'send', 'stop', 'copy', 'insertAtCursor', 'openAsDocument', 'action', 'clearHistory', 'countTokens'] as const;

/** One string per limit, one character too long, shared so thousands of runs don't allocate megabytes each. */
const TOO_LONG = {
  model: 'm'.repeat(201),
  system: 's'.repeat(LIMITS.systemChars + 1),
  prompt: 'p'.repeat(LIMITS.promptChars + 1),
  text: 't'.repeat(LIMITS.textChars + 1),
  requestId: 'r'.repeat(101),
};

/** Structured-clone-able junk: what postMessage can carry besides JSON. */
export const anyValue: fc.Arbitrary<unknown> = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});

const notString = anyValue.filter((v) => typeof v !== 'string');
const notInteger = anyValue.filter((v) => typeof v !== 'number' || !Number.isInteger(v));

export const validSettings: fc.Arbitrary<PromptSettings> = fc.record(
  {
    model: fc.stringMatching(/^[A-Za-z0-9._:@-]{1,60}$/),
    system: fc.string({ maxLength: 40 }),
    maxTokens: fc.integer({ min: 1, max: LIMITS.maxTokens }),
    temperature: fc.double({ min: 0, max: 1, noNaN: true }),
  },
  // What the parser returns is a plain object: compare against plain objects.
  { noNullPrototype: true },
);

const prompt = fc.string({ minLength: 1, maxLength: 60 }).filter((p) => p.trim() !== '');

/** A well-formed message and exactly what the host's parser must turn it into (extra fields dropped). */
export const validMessage: fc.Arbitrary<{ raw: Record<string, unknown>; parsed: WebviewToHost }> = fc.oneof(
  fc.constantFrom('ready' as const, 'clearHistory' as const).map((type) => ({ parsed: { type } })),
  fc.record({ prompt, settings: validSettings }).map(({ prompt, settings }) => ({ parsed: { type: 'send' as const, prompt, settings } })),
  fc.string({ maxLength: 100 }).map((requestId) => ({ parsed: { type: 'stop' as const, requestId } })),
  fc
    .tuple(fc.constantFrom('copy' as const, 'insertAtCursor' as const, 'openAsDocument' as const), fc.string({ maxLength: 80 }))
    .map(([type, text]) => ({ parsed: { type, text } })),
  fc.constantFrom(...ACTION_IDS).map((id) => ({ parsed: { type: 'action' as const, id } })),
  fc
    .record({ countId: fc.string({ minLength: 1, maxLength: 100 }), prompt, model: validSettings.map((s) => s.model), system: fc.string({ maxLength: 40 }) })
    .map(({ countId, prompt, model, system }) => ({ parsed: { type: 'countTokens' as const, countId, prompt, model, system } })),
).chain(({ parsed }) =>
  // Extra fields the contract does not know are ignored, never copied.
  fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => !(k in parsed) && k !== '__proto__'), anyValue, { maxKeys: 3 }).map((extra) => ({
    raw: { ...extra, ...(parsed as unknown as Record<string, unknown>) },
    parsed,
  })),
);

/** Settings broken in exactly one way. */
const brokenSettings: fc.Arbitrary<unknown> = fc.oneof(
  anyValue.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
  fc.constant({}),
  validSettings.chain((s) =>
    fc.oneof(
      fc.constantFrom('', 'has space', 'a/b', 'claude\n', 'x;rm -rf', TOO_LONG.model).map((model) => ({ ...s, model })),
      notString.map((model) => ({ ...s, model })),
      fc.constant({ ...s, system: TOO_LONG.system }),
      notString.map((system) => ({ ...s, system })),
      fc.constantFrom(0, -1, LIMITS.maxTokens + 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY).map((maxTokens) => ({ ...s, maxTokens })),
      notInteger.map((maxTokens) => ({ ...s, maxTokens })),
      fc.constantFrom(-0.0001, 1.0001, Number.NaN, Number.NEGATIVE_INFINITY, '0.5').map((temperature) => ({ ...s, temperature })),
      anyValue.filter((v) => typeof v !== 'number').map((temperature) => ({ ...s, temperature })),
      fc.constantFrom('model', 'system', 'maxTokens', 'temperature').map((drop) => {
        const copy: Record<string, unknown> = { ...s };
        delete copy[drop];
        return copy;
      }),
    ),
  ),
);

/** Messages the host must drop: wrong shape, unknown type, or a known type broken in one field. */
export const malformedMessage: fc.Arbitrary<unknown> = fc.oneof(
  anyValue.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v) || typeof (v as { type?: unknown }).type !== 'string'),
  fc.record({ type: notString }),
  fc.record({ type: fc.string({ maxLength: 20 }).filter((t) => !(TYPES as readonly string[]).includes(t)) }),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'READY', ' ready', 'send\0', 'hasOwnProperty').map((type) => ({ type })),
  fc.constantFrom(...TYPES).map((type) => [type]),
  // send: prompt missing, not a string, blank or too long; settings broken.
  validSettings.chain((settings) =>
    fc.oneof(
      fc.constant({ type: 'send', settings }),
      notString.map((p) => ({ type: 'send', prompt: p, settings })),
      fc.constantFrom('', ' ', '\n\t ', '\u00a0\u2028', TOO_LONG.prompt).map((p) => ({ type: 'send', prompt: p, settings })),
    ),
  ),
  fc.tuple(prompt, brokenSettings).map(([p, settings]) => ({ type: 'send', prompt: p, settings })),
  // stop: requestId missing, not a string, too long.
  fc.oneof(fc.constant({ type: 'stop' }), notString.map((requestId) => ({ type: 'stop', requestId })), fc.constant({ type: 'stop', requestId: TOO_LONG.requestId })),
  // copy / insert / open: text missing, not a string, too long.
  fc.tuple(fc.constantFrom('copy', 'insertAtCursor', 'openAsDocument'), fc.oneof(fc.constant(undefined), notString, fc.constant(TOO_LONG.text))).map(([type, text]) =>
    text === undefined ? { type } : { type, text },
  ),
  // countTokens: countId, prompt, model or system missing or broken in one way.
  fc
    .record({ countId: fc.string({ minLength: 1, maxLength: 100 }), prompt, model: validSettings.map((s) => s.model), system: fc.string({ maxLength: 40 }) })
    .chain((valid) =>
      fc.oneof(
        fc.constantFrom('', TOO_LONG.requestId).map((countId) => ({ ...valid, countId })),
        fc.constantFrom('', ' ', '\n\t ', TOO_LONG.prompt).map((p) => ({ ...valid, prompt: p })),
        fc.constantFrom('', 'has space', 'a/b', 'claude\n', TOO_LONG.model).map((model) => ({ ...valid, model })),
        fc.constant({ ...valid, system: TOO_LONG.system }),
        fc.tuple(fc.constantFrom('countId', 'prompt', 'model', 'system'), notString).map(([field, junk]) => ({ ...valid, [field]: junk })),
        fc.constantFrom('countId', 'prompt', 'model', 'system').map((drop) => {
          const copy: Record<string, unknown> = { ...valid };
          delete copy[drop];
          return copy;
        }),
      ),
    )
    .map((fields) => ({ type: 'countTokens', ...fields })),
  // action: an id the host does not map to a trusted command or URL.
  fc
    .oneof(
      fc.constantFrom('runCommand', 'openExternal', 'workbench.action.terminal.new', 'https://example.invalid', '__proto__', 'constructor', 'toString', 'Retry', ''),
      fc.string({ maxLength: 20 }).filter((id) => !(ACTION_IDS as readonly string[]).includes(id)),
      notString,
    )
    .map((id) => ({ type: 'action', id })),
);

/** True when `value` names one of the protocol's message types (so it might be acted on). */
export function hasKnownType(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (TYPES as readonly unknown[]).includes((value as { type?: unknown }).type);
}

/** What the fuzzers post: mostly malformed, plus arbitrary junk that names no known type, in one stream. */
export const hostileMessage: fc.Arbitrary<unknown> = fc.oneof({ weight: 3, arbitrary: malformedMessage }, { weight: 1, arbitrary: anyValue.filter((v) => !hasKnownType(v)) });
