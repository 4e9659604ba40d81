import * as path from 'node:path';
import * as vscode from 'vscode';
import { ApiBaseUrlWatcher } from './api/baseUrlWatcher';
import { bundleLoadSpan, timingMark, timingSpan } from './bundleTiming';
import { Commands, OUTPUT_CHANNEL_NAME } from './constants';
import { GitStatus } from './detection/gitStatus';
import { HardcodedKeyDiagnostics } from './detection/hardcodedKeyDiagnostics';
import type { DetectedKeyCommands } from './detection/detectedKeyCommands';
import { KeyQuickFixes } from './detection/keyQuickFixes';
import type { RemainingCopiesReport } from './detection/remainingCopies';
import type { WorkspaceScan } from './detection/workspaceScan';
import { onFirstUse } from './core/lazy';
import { loadOnDemand } from './loadOnDemand';
import { environmentOffersKey } from './keys/environmentOffer';
import { registerKeyCommands } from './keys/keyCommandRegistrations';
import { findKeysInSettings } from './keys/keysInSettings';
import { createHistoryFeature } from './history/historyFeature';
import { createIdentityFeature } from './identity/identityFeature';
import { FaultInjectingSecretStorage } from './keys/faultInjectingSecretStorage';
import { createKeyServices } from './keys/keyServices';
import { RotationReminder } from './keys/rotationReminder';
import { TerminalEnvironment } from './keys/terminalEnvironment';
import type { PromptCommands } from './prompt/promptCommands';
import { PromptHistory } from './prompt/promptHistory';
import { LazyPromptPanel } from './prompt/lazyPromptPanel';
import { lazyPromptServices, loadPrompting, registerPromptCommands } from './prompt/promptRegistrations';
import { MaskingLogger, MemorySink, OutputChannelSink, type LogSink } from './logging/logger';
import type { ClaudeKeysTestApi } from './testApi';
import { SwitchableInteraction, WindowInteraction } from './ui/interaction';
import type { OrganisationUsageCommand } from './usage/organisationUsageCommand';
import { LazyUsagePanel } from './usage/lazyUsagePanel';
import { LazyUsageService } from './usage/lazyUsageService';
import type { CountTokensCommand } from './tokens/countTokensCommand';
import type { TokenCounter } from './tokens/tokenCounter';
import { Walkthrough } from './walkthrough/walkthrough';

/** Composition root: build the services, register the features, hand every disposable to VS Code. */
export function activate(context: vscode.ExtensionContext): ClaudeKeysTestApi | undefined {
  const started = timingMark();
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const channel = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  const memory = testMode ? new MemorySink() : undefined;
  const sinks: LogSink[] = [new OutputChannelSink(channel), ...(memory ? [memory] : [])];
  const logger = new MaskingLogger(sinks);

  const secrets = testMode ? new FaultInjectingSecretStorage(context.secrets) : context.secrets;
  const ui = new SwitchableInteraction(new WindowInteraction());
  const environment = { get: (name: string) => process.env[name] };
  const services = createKeyServices({ secrets, globalState: context.globalState, ui, logger, environment });
  const { store, keyCommands, statusBar, rotation, leak, migration } = services;
  const reminder = new RotationReminder(store, ui, logger);
  const terminals = new TerminalEnvironment(context.environmentVariableCollection, store, ui, context.globalState, logger);
  const baseUrl = new ApiBaseUrlWatcher(ui, logger);
  const git = new GitStatus(context.extensionUri.fsPath);
  const diagnostics = new HardcodedKeyDiagnostics(store, git, ui, logger);
  const copies = onFirstUse<RemainingCopiesReport>(() => new (loadOnDemand().RemainingCopiesReport)(diagnostics, git, ui, logger));
  const detectedKeys = onFirstUse<DetectedKeyCommands>(
    () => new (loadOnDemand().DetectedKeyCommands)(diagnostics, store, services.client, rotation, copies, ui, logger),
  );
  const quickFixes = new KeyQuickFixes(diagnostics, git, detectedKeys);
  const scan = onFirstUse<WorkspaceScan>(() => new (loadOnDemand().WorkspaceScan)(diagnostics, services.client, ui, logger));
  const usageHost = new LazyUsageService(
    ({ UsageService }) => new UsageService(context.globalStorageUri, store, context.globalState, ui, logger),
    (service) => [...service.register(), service.onDidChange(() => void statusBar.refresh())],
  );
  const usage = usageHost.service;
  services.client.observer = usage;
  statusBar.extraTooltip = (key) => usage.tooltipLines(key);
  const organisationUsage = onFirstUse<OrganisationUsageCommand>(() => new (loadOnDemand().OrganisationUsageCommand)(services.client, store, usage.ledger, ui, logger));
  const usagePanel = new LazyUsagePanel(context.extensionUri, usage, ui, logger, organisationUsage);
  const identity = createIdentityFeature({ diagnostics, store, client: services.client, ui, logger });
  const history = createHistoryFeature({ store, rotation, leak, ui, logger, launchDir: context.extensionUri.fsPath });
  const { runner, catalog, subscriptions: promptSubscriptions } = lazyPromptServices(services.client, store);
  const counter = onFirstUse<TokenCounter>(() => new (loadPrompting().TokenCounter)(services.client));
  const promptPanel = new LazyPromptPanel(context.extensionUri, runner, catalog, new PromptHistory(context.globalState), store, context.globalState, ui, logger, counter);
  const promptCommands = onFirstUse<PromptCommands>(() => new (loadPrompting().PromptCommands)(promptPanel, runner, catalog, ui, logger));
  const countTokens = onFirstUse<CountTokensCommand>(() => new (loadPrompting().CountTokensCommand)(counter, catalog, ui, logger));
  const walkthrough = new Walkthrough(context.globalState, statusBar.onDidRefresh, promptPanel.onDidFinish, logger);

  context.subscriptions.push(
    channel,
    store,
    services.tracker,
    statusBar,
    reminder,
    terminals,
    baseUrl,
    diagnostics,
    promptPanel,
    ...promptPanel.register(),
    ...registerKeyCommands(keyCommands, services.validator),
    ...registerPromptCommands(promptPanel, promptCommands),
    ...promptSubscriptions,
    ...quickFixes.register(),
    usageHost,
    usagePanel,
    ...usagePanel.register(),
    ...history.register(),
    ...identity.register(),
    walkthrough,
    ...walkthrough.register(),
    vscode.commands.registerCommand(Commands.scanWorkspace, () => scan.run()),
    vscode.commands.registerCommand(Commands.checkOrganisationUsage, () => organisationUsage.run()),
    vscode.commands.registerCommand(Commands.countTokens, () => countTokens.run()),
    vscode.commands.registerCommand(Commands.rotateApiKey, () => rotation.rotate()),
    vscode.commands.registerCommand(Commands.reportLeakedKey, (name?: unknown) => leak.run({ name: typeof name === 'string' ? name : undefined })),
    vscode.commands.registerCommand(Commands.moveKeysFromSettings, () => migration.run(false)),
    vscode.commands.registerCommand(Commands.showLog, () => channel.show()),
  );

  // Nothing here blocks activation: documents, SecretStorage and settings are read after it returns.
  const deferredStart = setTimeout(() => diagnostics.start(), 0);
  context.subscriptions.push(new vscode.Disposable(() => clearTimeout(deferredStart)));
  void statusBar
    .refresh()
    // Each check loads the command code (dist/onDemand.js) only when it has something to offer.
    .then(() => (environmentOffersKey(environment, context.globalState) ? keyCommands.importFromEnvironment(true) : undefined))
    .then(() => (findKeysInSettings().length > 0 ? migration.run(true) : undefined))
    .then(() => reminder.check())
    .then(() => terminals.apply())
    .then(() => baseUrl.check())
    .then(() => usage.start())
    .catch((error: unknown) => logger.error('start-up checks failed', error));

  if (!testMode) {
    return undefined;
  }
  const activation = { load: bundleLoadSpan(), activate: timingSpan(started), loadedBundles: loadedBundles(context.extensionUri.fsPath) };
  return {
    activation,
    services,
    diagnostics,
    quickFixes,
    scan,
    history: history.scan,
    historyTree: history.tree,
    identityHover: identity.hover,
    runner,
    catalog,
    usage,
    get usagePanel() {
      return usagePanel.loaded;
    },
    get promptPanel() {
      return promptPanel.loaded;
    },
    promptCommands,
    walkthrough,
    reminder,
    terminals,
    baseUrl,
    environmentVariableCollection: context.environmentVariableCollection,
    statusBar: () => statusBar.snapshot(),
    refreshStatusBar: () => statusBar.refresh(),
    onStatusBarRefresh: statusBar.onDidRefresh,
    setInteraction: (replacement) => {
      ui.target = replacement ?? new WindowInteraction();
    },
    secrets: context.secrets,
    globalState: context.globalState,
    workspaceState: context.workspaceState,
    injectSecretStorageFault: (fault) => {
      (secrets as FaultInjectingSecretStorage).fault = fault;
    },
    logLines: () => memory?.lines ?? [],
    keyCommands,
    createWindowTwin: (twinUi) => {
      const twin = createKeyServices({ secrets: context.secrets, globalState: context.globalState, ui: twinUi, logger, environment });
      twin.statusBar.extraTooltip = statusBar.extraTooltip;
      return { services: twin, dispose: () => (twin.store.dispose(), twin.tracker.dispose(), twin.statusBar.dispose()) };
    },
  };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}

/** Test mode: which of dist/*.js Node has loaded (what activation paid for). */
function loadedBundles(extensionPath: string): string[] {
  const dist = path.join(extensionPath, 'dist');
  return Object.keys(require.cache)
    .filter((file) => path.dirname(file) === dist)
    .map((file) => path.basename(file))
    .sort();
}
