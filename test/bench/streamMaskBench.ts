import { performance } from 'node:perf_hooks';
import { maskSecrets } from '../../src/core/mask';
import { StreamMasker } from '../../src/core/streamMask';
import { fakeKeys, randomBody } from '../fakes/keys';

const MB = 1024 * 1024;
const DELTA = 4;
const GOAL_MS = 50;
const RUNS = 7;

/** A streamed answer's worst cases and a typical one, 1 MB each. */
function texts(): { name: string; text: string }[] {
  const key = fakeKeys.apiKey();
  // One unbroken run of key characters that could still be a key until the very end.
  const run = `ghp_${randomBody(MB - 4)}`;
  const keyRun = `${key}${randomBody(MB - key.length)}`;
  const prose: string[] = [];
  for (let length = 0, i = 0; length < MB; i++) {
    const sentence = i % 50 === 0 ? `Use ${fakeKeys.apiKey()} here. ` : `Word ${i} of the answer, with skills and things. `;
    prose.push(sentence);
    length += sentence.length;
  }
  return [
    { name: 'unbroken run starting "ghp_"', text: run },
    { name: 'unbroken run starting with a key', text: keyRun },
    { name: 'prose with a key every 50 sentences', text: prose.join('').slice(0, MB) },
  ];
}

function feedOnce(pieces: readonly string[]): string {
  const masker = new StreamMasker();
  // Appended to one string, as the prompt runner keeps the answer.
  let out = '';
  for (const piece of pieces) {
    out += masker.push(piece);
  }
  return out + masker.end();
}

/** The answer masker fed 1 MB in 4-character deltas: goal ≤ 50 ms in total. Prints, asserts nothing. */
export function benchStreamMask(): string[] {
  const lines = [`stream masker, 1 MB fed in ${DELTA}-character deltas (median of ${RUNS}), goal ≤ ${GOAL_MS} ms:`];
  for (const { name, text } of texts()) {
    const pieces: string[] = [];
    for (let at = 0; at < text.length; at += DELTA) {
      pieces.push(text.slice(at, at + DELTA));
    }
    const same = feedOnce(pieces) === maskSecrets(text);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      feedOnce(pieces);
      times.push(performance.now() - started);
    }
    const med = [...times].sort((a, b) => a - b)[RUNS >> 1];
    lines.push(`  ${name.padEnd(40)}${med.toFixed(1).padStart(8)} ms   ${med <= GOAL_MS && same ? 'PASS' : 'MISS'}${same ? '' : ' (output differs from maskSecrets of the whole)'}`);
  }
  return lines;
}
