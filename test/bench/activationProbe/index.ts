import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { timingMark, timingSpan, type TimingSpan } from '../../../src/bundleTiming';
import { Commands, EXTENSION_ID, SecretKeys, Settings } from '../../../src/constants';
import { serializeKeyring } from '../../../src/core/keyring';
import type { ValidationReport } from '../../../src/keys/keyValidation';
import type { ClaudeKeysTestApi } from '../../../src/testApi';
import { ScriptedInteraction } from '../../integration/scriptedInteraction';
import { FakeAnthropicApi } from '../../fakes/fakeAnthropicApi';
import { fakeKeys } from '../../fakes/keys';

/** What one window load measured; the bench (test/bench/activationBench.ts) reads it as JSON. */
export interface ProbeReport {
  /** VS Code's own marks in the extension host (ms resolution): loading dist/extension.js, calling activate(). */
  readonly host: { readonly loadCodeMs?: number; readonly activateMs?: number };
  /** The bundle's own timer (sub-ms, with CPU time): its top level (banner → footer) and activate(). */
  readonly bundle: ClaudeKeysTestApi['activation'];
  /** The extension's dist/*.js this host had loaded when activation was over, and after the first Validate. */
  readonly loadedAtActivation: string[];
  readonly loadedAfterValidate: string[];
  /** Wall time, and the extension host's CPU time (the fake runs in it too). */
  readonly firstValidate: TimingSpan;
  readonly secondValidate: TimingSpan;
  readonly validateState: string;
}

interface Mark {
  readonly name: string;
  readonly startTime: number;
}

/**
 * The extensionTestsPath of the activation bench: runs inside the real extension host once per
 * window load, right after start-up, and writes one JSON line to CLAUDE_KEYS_BENCH_REPORT.
 */
export async function run(): Promise<void> {
  const reportPath = process.env.CLAUDE_KEYS_BENCH_REPORT;
  if (!reportPath) {
    throw new Error('CLAUDE_KEYS_BENCH_REPORT is not set');
  }
  const extension = vscode.extensions.getExtension<ClaudeKeysTestApi | undefined>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not loaded`);
  }
  const dist = path.join(extension.extensionPath, 'dist');
  const loadedBundles = (): string[] =>
    Object.keys(require.cache)
      .filter((file) => path.dirname(file) === dist)
      .map((file) => path.basename(file))
      .sort();
  const api = await extension.activate();
  if (!api) {
    throw new Error('activate() returned no test API: not in ExtensionMode.Test?');
  }
  // Recorded by activate() itself: what later start-up checks load is not activation's cost.
  const loadedAtActivation = [...api.activation.loadedBundles];

  // The first Validate after start: a key stored, the fake on loopback, no UI.
  const fake = await FakeAnthropicApi.start();
  try {
    await vscode.workspace.getConfiguration(Settings.section).update(Settings.apiBaseUrl, fake.url, vscode.ConfigurationTarget.Global);
    const key = fakeKeys.apiKey();
    fake.addApiKey(key);
    await api.secrets.store(SecretKeys.keyring, serializeKeyring({ active: 'default', keys: { default: key } }));
    api.setInteraction(new ScriptedInteraction());
    const validate = async (): Promise<{ span: TimingSpan; report: ValidationReport }> => {
      const started = timingMark();
      const report = (await vscode.commands.executeCommand(Commands.validateApiKey)) as ValidationReport;
      return { span: timingSpan(started), report };
    };
    const profiler = await startProfile();
    const first = await validate();
    await profiler?.stop('first-validate');
    const loadedAfterValidate = loadedBundles();
    const second = await validate();
    await api.secrets.delete(SecretKeys.keyring);

    const report: ProbeReport = {
      host: hostMarks(),
      bundle: api.activation,
      loadedAtActivation,
      loadedAfterValidate,
      firstValidate: first.span,
      secondValidate: second.span,
      validateState: `${first.report.state}/${second.report.state}`,
    };
    fs.appendFileSync(reportPath, JSON.stringify(report) + '\n');
  } finally {
    await fake.close();
  }
}

/**
 * With CLAUDE_KEYS_BENCH_PROFILE=<folder>, the first Validate is CPU-profiled in this host (the
 * inspector in-process) and written there as a .cpuprofile for DevTools: where its time goes.
 */
async function startProfile(): Promise<{ stop(name: string): Promise<void> } | undefined> {
  const folder = process.env.CLAUDE_KEYS_BENCH_PROFILE;
  if (!folder) {
    return undefined;
  }
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, `${name}-${process.pid}.cpuprofile`), JSON.stringify(profile));
    },
  };
}

/**
 * The extension host's performance marks around our extension (an internal of VS Code, read only
 * here: `code/extHost/{will,did}LoadExtensionCode/ID` and `{will,did}ActivateExtension/ID`).
 */
function hostMarks(): ProbeReport['host'] {
  const store = (globalThis as { MonacoPerformanceMarks?: { getMarks?: () => Mark[] } }).MonacoPerformanceMarks;
  const marks = store?.getMarks?.() ?? [];
  const at = (name: string): number | undefined =>
    marks.find((m) => m.name.toLowerCase() === `code/exthost/${name}/${EXTENSION_ID}`.toLowerCase())?.startTime;
  const span = (from: string, to: string): number | undefined => {
    const start = at(from);
    const end = at(to);
    return start === undefined || end === undefined ? undefined : end - start;
  };
  return {
    loadCodeMs: span('willLoadExtensionCode', 'didLoadExtensionCode'),
    activateMs: span('willActivateExtension', 'didActivateExtension'),
  };
}
