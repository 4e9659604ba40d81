import * as fs from 'node:fs';
import * as path from 'node:path';
import { maskKey } from '../../../src/core/mask';
import type { CanaryWorkbench } from './canaryWorkbench';
import { filesUnder, localStorageValueRanges, needles, searchBuffer, type Hit, type SearchedFile } from './leakSearch';

/**
 * What the canary searches after the run, and what it leaves out.
 *
 * Searched, as bytes (UTF-8/Latin-1, UTF-16LE, base64, base64url):
 * - everything code-server wrote: its whole state folder (user-data: state databases, logs with
 *   the extension host's and the "Claude Keys" output channel's, globalStorage and workspaceStorage,
 *   backups, local history, terminal state; the XDG folders, TMPDIR, the server's own log), and
 *   the workspace (the quick fix took the key out of the only file that held it);
 * - the whole Chromium profile (localStorage, IndexedDB, Session Storage, caches, preferences),
 *   except the one thing that is SecretStorage: code-server keeps SecretStorage in the page's
 *   localStorage, as the item `secrets.provider`, AES-sealed with a key half held by the server
 *   (VS Code's LocalStorageSecretStorageProvider). The bytes of that item's values are left out;
 *   nothing else is;
 * - every message any frame received (host→webview messages, the webview's saved state on its
 *   way to the workbench, resource loads), every text the workbench page showed (notifications,
 *   dialogs, the Problems panel, hovers, quick input, the status bar; editor lines excepted: they
 *   are the user's file), console lines (except the tokenizer's, see below), the CLI's output in all three formats, and the bodies
 *   of every request the fake Claude API received (the key belongs in a header, never in a body).
 * Left out: `cli-input`, where the test itself wrote the keys for the CLI to find; it is searched
 * too, as a check that the search finds what is there.
 */
/**
 * Two things in what went past the browser are the user's own file, not the extension's doing, and
 * are left out (and counted): the exact line of the planted file that holds the key, wherever VS
 * Code passes the open document on (its editor and extension-host workers get documents over
 * MessagePorts), and, under load, VS Code's tokenizer logs the editor line it gave up on to the browser console: that is
 * the user's own file (the one the test planted the key in), like the editor's lines themselves.
 */
const TOKENIZER_WARNING = 'Time limit reached when tokenizing line:';

export interface SearchReport {
  readonly summary: string[];
  readonly hits: Hit[];
  readonly controlHits: Hit[];
  readonly workspaceHits: number;
  readonly excludedSecretBlobs: number;
}

export function searchEverything(input: {
  keys: readonly string[];
  control: string;
  wb: CanaryWorkbench;
  cliOutputs: ReadonlyArray<{ format: string; output: string }>;
  /** The line of the user's file that holds the key: VS Code passes open documents to its workers. */
  userFileLine: string;
}): SearchReport {
  const { keys, control, wb, cliOutputs, userFileLine } = input;
  const keyNeedles = needles(keys);
  const controlNeedles = needles([control]);
  const mask = (key: string): string => maskKey(key);
  const hits: Hit[] = [];
  const controlHits: Hit[] = [];
  const summary: string[] = [];
  const planted = path.join(wb.stateDir, 'cli-input');

  // code-server's state, the workspace and the planted folder.
  const serverFiles = filesUnder(wb.stateDir).filter((f) => !f.file.startsWith(wb.profileDir + path.sep) && !f.file.startsWith(planted + path.sep));
  for (const f of serverFiles) {
    hits.push(...searchBuffer(fs.readFileSync(f.file), path.relative(wb.stateDir, f.file), keyNeedles, mask));
  }
  summary.push(`code-server state + workspace: ${serverFiles.length} files, ${total(serverFiles)} bytes (${path.relative(process.cwd(), wb.stateDir)})`);
  let workspaceHits = 0;
  for (const f of filesUnder(planted)) {
    workspaceHits += searchBuffer(fs.readFileSync(f.file), f.file, keyNeedles, mask).length;
  }
  summary.push(`planted check (cli-input): ${workspaceHits} hits, as expected`);

  // The browser profile, minus SecretStorage's sealed values.
  const profileFiles = filesUnder(wb.profileDir);
  let excludedSecretBlobs = 0;
  let excludedBytes = 0;
  for (const f of profileFiles) {
    const data = fs.readFileSync(f.file);
    const inLocalStorage = f.file.includes(`${path.sep}Local Storage${path.sep}`);
    const excluded = inLocalStorage ? localStorageValueRanges(data, 'secrets.provider') : [];
    excludedSecretBlobs += excluded.length;
    excludedBytes += excluded.reduce((n, [a, b]) => n + (b - a), 0);
    const where = `browser-profile/${path.relative(wb.profileDir, f.file)}`;
    hits.push(...searchBuffer(data, where, keyNeedles, mask).filter((h) => !excluded.some(([a, b]) => h.offset >= a && h.offset < b)));
    controlHits.push(...searchBuffer(data, where, controlNeedles, mask));
  }
  summary.push(`browser profile: ${profileFiles.length} files, ${total(profileFiles)} bytes; left out: ${excludedSecretBlobs} sealed SecretStorage values (localStorage "secrets.provider"), ${excludedBytes} bytes`);
  summary.push(`control value written by the page: found ${controlHits.length} times in the profile (${[...new Set(controlHits.map((h) => `${h.encoding} in ${h.where}`))].join('; ')})`);

  // What went past the browser: messages, UI text, console.
  const recorder = wb.recorder;
  let tokenizerLines = 0;
  let fileLines = 0;
  for (const [i, r] of recorder.items.entries()) {
    if (r.kind === 'console' && r.text.startsWith(TOKENIZER_WARNING)) {
      tokenizerLines++;
      continue;
    }
    let text = r.text;
    // As written in the file, and as a JSON string (VS Code's worker protocol sends documents as JSON).
    for (const form of [userFileLine, JSON.stringify(userFileLine).slice(1, -1)]) {
      const parts = text.split(form);
      fileLines += parts.length - 1;
      text = parts.join('[the user file line]');
    }
    hits.push(...searchBuffer(Buffer.from(text), `${r.kind}:${r.where} #${i}`, keyNeedles, mask));
  }
  const places = [...new Set(recorder.items.filter((r) => r.kind === 'ui').map((r) => r.where))].sort();
  summary.push(
    `messages: ${recorder.count('message')} seen by frames, of them ${recorder.hostToWebview().length} host→webview and ${recorder.webviewToHost().length} webview→host (messages and setState); ` +
      `UI text batches: ${places.map((p) => `${p} ${recorder.count('ui', p)}`).join(', ')}; console lines: ${recorder.count('console')} ` +
      `(left out: ${tokenizerLines} of VS Code's "${TOKENIZER_WARNING}" warnings, which quote a line of the user's file); ${recorder.bytes()} bytes; ` +
      `left out: ${fileLines} copies of the user's file line with the key, exactly as in the file (VS Code's own document sync to its workers)`,
  );

  for (const { format, output } of cliOutputs) {
    hits.push(...searchBuffer(Buffer.from(output), `cli --format ${format}`, keyNeedles, mask));
  }
  summary.push(`CLI output: ${cliOutputs.length} runs (${cliOutputs.map((c) => c.format).join(', ')}), ${cliOutputs.reduce((n, c) => n + c.output.length, 0)} bytes`);

  const requests = wb.fake.requests;
  for (const [i, r] of requests.entries()) {
    hits.push(...searchBuffer(Buffer.from(`${r.path} ${JSON.stringify(r.query)} ${r.body}`), `API request #${i} body`, keyNeedles, mask));
  }
  summary.push(`fake Claude API: ${requests.length} request bodies and URLs`);
  summary.push(`needles: ${keys.length} keys × (every 20-char slice of the secret part in UTF-8 and UTF-16LE, the whole key in base64/base64url) → ${hits.length} hits`);
  for (const h of hits) {
    summary.push(`  HIT ${h.where} @${h.offset} (${h.encoding}, ${h.length} chars of ${h.key}): ${h.context}`);
  }
  return { summary, hits, controlHits, workspaceHits, excludedSecretBlobs };
}

function total(files: readonly SearchedFile[]): number {
  return files.reduce((n, f) => n + f.bytes, 0);
}
