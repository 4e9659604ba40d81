import Anthropic from '@anthropic-ai/sdk';
import { performance } from 'node:perf_hooks';
import { ClaudeClient } from '../../src/api/claudeClient';
import { PromptRunner } from '../../src/prompt/promptRunner';
import { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';

const RUNS = 60;
const MODEL = 'claude-haiku-4-5-20251001';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Time to first token against the loopback fake with a fixed stream: the extension's client module
 * (PromptRunner on ClaudeClient, key read per request like SecretStorage) against a bare SDK call,
 * interleaved in the same run so both see the same machine.
 */
/** A run that streamed no text has no time to first token: fail loudly rather than report a negative one. */
function timeToFirst(first: number, started: number): number {
  if (first === 0) {
    throw new Error('no text arrived: time to first token cannot be measured');
  }
  return first - started;
}

export async function benchTimeToFirstToken(): Promise<string[]> {
  const fake = await FakeAnthropicApi.start();
  try {
    const key = fakeKeys.apiKey();
    fake.addApiKey(key);
    fake.setReply({ text: 'The quick brown fox jumps over the lazy dog. '.repeat(20), chunkSize: 12 });
    const bare = new Anthropic({ apiKey: key, baseURL: fake.url, maxRetries: 0, logLevel: 'off' });
    // The extension reads the key from SecretStorage per request: an async read here too.
    const runner = new PromptRunner(new ClaudeClient({ baseUrl: () => fake.url }, async () => key));
    const settings = { model: MODEL, system: '', maxTokens: 1024, temperature: 1 };

    const bareOnce = async (): Promise<number> => {
      const started = performance.now();
      let first = 0;
      const stream = bare.messages.stream({ model: MODEL, max_tokens: 1024, messages: [{ role: 'user', content: 'hi' }] });
      stream.on('text', () => {
        if (!first) {
          first = performance.now();
        }
      });
      await stream.finalMessage();
      return timeToFirst(first, started);
    };
    const ours = async (): Promise<number> => {
      const started = performance.now();
      let first = 0;
      const result = await runner.run({ prompt: 'hi', settings }, () => {
        if (!first) {
          first = performance.now();
        }
      }, new AbortController().signal);
      if (result.outcome !== 'done') {
        throw new Error(`the extension's client did not finish the prompt: ${result.outcome} ${JSON.stringify(result.problem)}`);
      }
      return timeToFirst(first, started);
    };
    for (let i = 0; i < 5; i++) {
      await bareOnce();
      await ours();
    }
    const bareTimes: number[] = [];
    const ourTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Alternate the order so neither always runs second.
      if (i % 2) {
        bareTimes.push(await bareOnce());
        ourTimes.push(await ours());
      } else {
        ourTimes.push(await ours());
        bareTimes.push(await bareOnce());
      }
    }
    const overhead = median(ourTimes) - median(bareTimes);
    return [
      `time to first token, loopback fake, fixed stream, median of ${RUNS} interleaved runs:`,
      `  bare SDK messages.stream():        ${median(bareTimes).toFixed(2)} ms`,
      `  extension client (PromptRunner):   ${median(ourTimes).toFixed(2)} ms`,
      `  overhead: ${overhead.toFixed(2)} ms   goal ≤ 5 ms: ${overhead <= 5 ? 'PASS' : 'MISS'}`,
    ];
  } finally {
    await fake.close();
  }
}
