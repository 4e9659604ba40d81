import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { Settings } from '../../src/constants';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { activateExtension, fakeApi, resetState, storeDirectly } from './helpers';
import { ScriptedInteraction } from './scriptedInteraction';

type SettingName = (typeof Settings)[Exclude<keyof typeof Settings, 'section'>];

/** What a suite in the real host works with. `user` is a new one for every test. */
export interface Host {
  readonly api: ClaudeKeysTestApi;
  readonly fake: FakeAnthropicApi;
  readonly user: ScriptedInteraction;
  /** The integration workspace's folder. */
  readonly folder: vscode.Uri;
  /** The `scratch` folder: made before and deleted after every test. */
  readonly scratch: vscode.Uri;
}

export interface HostSuiteOptions {
  /** A folder of this name under the workspace, empty for every test (Host.scratch). */
  readonly scratch?: string;
  /** Empties the usage ledger before every test; 'restart' also starts the recorder again. */
  readonly ledger?: 'empty' | 'restart';
  /** Closes every editor after each test (not only after the suite). */
  readonly closeEditorsAfterEach?: boolean;
  /** Global settings for the whole suite, removed after it. */
  readonly settings?: Partial<Record<SettingName, unknown>>;
  /** Global settings a test may change, removed after each test. */
  readonly clearAfterEach?: readonly SettingName[];
}

const closeAllEditors = (): Thenable<unknown> => vscode.commands.executeCommand('workbench.action.closeAllEditors');
const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(Settings.section);

/**
 * The set-up every suite in the real host shares, registered as mocha hooks of the calling
 * `describe` (call it first, so the suite's own hooks run after these): the extension activated and
 * pointed at the loopback fake, its state reset and a fresh scripted user before every test, all
 * state and editors cleared after the suite. `take` receives the host before the suite and again
 * before every test (a new `user`), e.g. `hostSuite((h) => ({ api, fake, user } = h))`.
 */
export function hostSuite(take: (host: Host) => void, options: HostSuiteOptions = {}): void {
  let api: ClaudeKeysTestApi;
  let fake: FakeAnthropicApi;
  let folder: vscode.Uri;
  let user = new ScriptedInteraction();
  const host = (): Host => ({
    api,
    fake,
    user,
    folder,
    get scratch(): vscode.Uri {
      assert.ok(options.scratch, 'hostSuite was not given a scratch folder');
      return vscode.Uri.joinPath(folder, options.scratch);
    },
  });

  before(async () => {
    api = await activateExtension();
    fake = await fakeApi();
    const first = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(first, 'the integration workspace has a folder');
    folder = first;
    for (const [name, value] of Object.entries(options.settings ?? {})) {
      await config().update(name, value, vscode.ConfigurationTarget.Global);
    }
    take(host());
  });

  beforeEach(async () => {
    await resetState(api);
    if (options.ledger) {
      await api.usage.idle;
      fs.rmSync(api.usage.ledger.folder, { recursive: true, force: true });
      if (options.ledger === 'restart') {
        await api.usage.start();
      }
    }
    user = new ScriptedInteraction();
    api.setInteraction(user);
    const current = host();
    if (options.scratch) {
      await vscode.workspace.fs.createDirectory(current.scratch);
    }
    take(current);
  });

  afterEach(async () => {
    for (const name of options.clearAfterEach ?? []) {
      await config().update(name, undefined, vscode.ConfigurationTarget.Global);
    }
    if (options.closeEditorsAfterEach) {
      await closeAllEditors();
    }
    if (options.scratch) {
      await vscode.workspace.fs.delete(host().scratch, { recursive: true }).then(undefined, () => undefined);
    }
  });

  after(async () => {
    for (const name of Object.keys(options.settings ?? {})) {
      await config().update(name, undefined, vscode.ConfigurationTarget.Global);
    }
    await resetState(api);
    await closeAllEditors();
  });
}

/** A new git repository in `parent`/repo; skips the test where git cannot make one. */
export async function gitRepository(parent: vscode.Uri, test: Mocha.Context): Promise<vscode.Uri> {
  const repo = vscode.Uri.joinPath(parent, 'repo');
  await vscode.workspace.fs.createDirectory(repo);
  try {
    execFileSync('git', ['init', '-q'], { cwd: repo.fsPath });
  } catch {
    test.skip();
  }
  return repo;
}

/** A generated API key the fake knows, stored as the key `name`: what a test sends with. */
export async function storeNewKey({ api, fake }: Pick<Host, 'api' | 'fake'>, name: string): Promise<string> {
  const key = fakeKeys.apiKey();
  fake.addApiKey(key);
  await storeDirectly(api, { [name]: key });
  return key;
}

/**
 * An organisation on the fake: this machine's key (stored as 'work', named 'work laptop' there), a
 * colleague's key and an Admin key (not stored).
 */
export async function organisationKeys({ api, fake }: Pick<Host, 'api' | 'fake'>): Promise<{ key: string; keyId: string; colleagueId: string; adminKey: string }> {
  const key = fakeKeys.apiKey();
  const keyId = fake.addApiKey(key, { name: 'work laptop' }).id;
  // Someone else's key in the same organisation: never reconciled.
  const colleagueId = fake.addApiKey(fakeKeys.apiKey(), { name: 'colleague' }).id;
  const adminKey = fakeKeys.adminKey();
  fake.addAdminKey(adminKey);
  await storeDirectly(api, { work: key });
  return { key, keyId, colleagueId, adminKey };
}

/** Collects what `panel` posts to its webview during each test (cleared before each). */
export function postedBy<T>(panel: () => { tap?: (message: T) => void }): T[] {
  const posted: T[] = [];
  beforeEach(() => {
    posted.length = 0;
    panel().tap = (m) => posted.push(m);
  });
  afterEach(() => {
    panel().tap = undefined;
  });
  return posted;
}
