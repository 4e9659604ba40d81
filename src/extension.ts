import * as vscode from 'vscode';
import { Commands, OUTPUT_CHANNEL_NAME } from './constants';
import { FaultInjectingSecretStorage } from './keys/faultInjectingSecretStorage';
import { KeyCommands } from './keys/keyCommands';
import { KeyStatusBar } from './keys/keyStatusBar';
import { KeyStore } from './keys/keyStore';
import { MaskingLogger, MemorySink, OutputChannelSink, type LogSink } from './logging/logger';
import type { ClaudeKeysTestApi } from './testApi';
import { SwitchableInteraction, WindowInteraction } from './ui/interaction';

/** Composition root: build the services, register the features, hand every disposable to VS Code. */
export function activate(context: vscode.ExtensionContext): ClaudeKeysTestApi | undefined {
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const channel = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  const memory = testMode ? new MemorySink() : undefined;
  const sinks: LogSink[] = [new OutputChannelSink(channel), ...(memory ? [memory] : [])];
  const logger = new MaskingLogger(sinks);

  const secrets = testMode ? new FaultInjectingSecretStorage(context.secrets) : context.secrets;
  const store = new KeyStore(secrets, context.globalState, logger);
  const interaction = new SwitchableInteraction(new WindowInteraction());
  const keyCommands = new KeyCommands(store, interaction, logger, { get: (name) => process.env[name] }, context.globalState);
  const statusBar = new KeyStatusBar(store, logger);

  context.subscriptions.push(
    channel,
    store,
    statusBar,
    ...keyCommands.register(),
    vscode.commands.registerCommand(Commands.showLog, () => channel.show()),
  );

  // Reading SecretStorage can be slow; never hold up activation for it.
  void statusBar.refresh().then(() => keyCommands.importFromEnvironment(true));

  if (!testMode) {
    return undefined;
  }
  return {
    statusBar: () => statusBar.snapshot(),
    refreshStatusBar: () => statusBar.refresh(),
    onStatusBarRefresh: statusBar.onDidRefresh,
    setInteraction: (replacement) => {
      interaction.target = replacement ?? new WindowInteraction();
    },
    secrets: context.secrets,
    globalState: context.globalState,
    injectSecretStorageFault: (fault) => {
      (secrets as FaultInjectingSecretStorage).fault = fault;
    },
    logLines: () => memory?.lines ?? [],
    keyCommands,
  };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
