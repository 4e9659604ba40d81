import type * as vscode from 'vscode';
import { ApiBaseUrlWatcher } from '../api/baseUrlWatcher';
import { ClaudeClient } from '../api/claudeClient';
import type { Logger } from '../logging/logger';
import type { Interaction } from '../ui/interaction';
import { onFirstUse } from '../core/lazy';
import { loadOnDemand } from '../loadOnDemand';
import type { EnvironmentSource } from './environmentOffer';
import type { KeyCommands } from './keyCommands';
import { KeyStateTracker } from './keyStateTracker';
import { KeyStatusBar } from './keyStatusBar';
import { KeyStore } from './keyStore';
import { KeyValidator } from './keyValidation';
import type { LeakedKeyResponse } from './leakedKey';
import type { RotationFlow } from './rotation';
import type { SettingsMigration } from './settingsMigration';

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
  // The command code is made on first use (dist/onDemand.js): activation only wires it.
  const rotation = onFirstUse<RotationFlow>(() => new (loadOnDemand().RotationFlow)(store, client, validator, ui, logger));
  const leak = onFirstUse<LeakedKeyResponse>(() => new (loadOnDemand().LeakedKeyResponse)(store, rotation, ui, logger));
  const keyCommands = onFirstUse<KeyCommands>(() => new (loadOnDemand().KeyCommands)(store, validator, client, ui, logger, environment, globalState));
  const statusBar = new KeyStatusBar(store, logger);
  const migration = onFirstUse<SettingsMigration>(() => new (loadOnDemand().SettingsMigration)(store, ui, logger));
  return { store, client, tracker, validator, rotation, leak, keyCommands, statusBar, migration };
}

export type KeyServices = ReturnType<typeof createKeyServices>;
