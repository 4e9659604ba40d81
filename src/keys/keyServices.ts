import type * as vscode from 'vscode';
import { ApiBaseUrlWatcher } from '../api/baseUrlWatcher';
import { ClaudeClient } from '../api/claudeClient';
import type { Logger } from '../logging/logger';
import type { Interaction } from '../ui/interaction';
import { KeyCommands, type EnvironmentSource } from './keyCommands';
import { KeyStateTracker } from './keyStateTracker';
import { KeyStatusBar } from './keyStatusBar';
import { KeyStore } from './keyStore';
import { KeyValidator } from './keyValidation';
import { LeakedKeyResponse } from './leakedKey';
import { RotationFlow } from './rotation';
import { SettingsMigration } from './settingsMigration';

export interface KeyServiceDeps {
  readonly secrets: vscode.SecretStorage;
  readonly globalState: vscode.Memento;
  readonly ui: Interaction;
  readonly logger: Logger;
  readonly environment: EnvironmentSource;
}

/** The key features of one window, wired together. Built once by activate() (tests build a twin). */
export function createKeyServices(deps: KeyServiceDeps) {
  const { secrets, globalState, ui, logger, environment } = deps;
  const store = new KeyStore(secrets, globalState, logger);
  const client = new ClaudeClient({ baseUrl: ApiBaseUrlWatcher.current }, () => store.getApiKey());
  const tracker = new KeyStateTracker(store, client, logger);
  const validator = new KeyValidator(store, client, tracker, ui, logger);
  const rotation = new RotationFlow(store, client, validator, ui, logger);
  const leak = new LeakedKeyResponse(store, rotation, ui, logger);
  const keyCommands = new KeyCommands(store, validator, client, ui, logger, environment, globalState);
  const statusBar = new KeyStatusBar(store, logger);
  const migration = new SettingsMigration(store, ui, logger);
  return { store, client, tracker, validator, rotation, leak, keyCommands, statusBar, migration };
}

export type KeyServices = ReturnType<typeof createKeyServices>;
