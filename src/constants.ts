/** Every id the extension uses, declared once. package.json must agree (a test checks it). */

export const EXTENSION_ID = 'claude-keys.claude-keys';

export const Commands = {
  setApiKey: 'claudeKeys.setApiKey',
  clearApiKey: 'claudeKeys.clearApiKey',
  showKeyStatus: 'claudeKeys.showKeyStatus',
  importKeyFromEnvironment: 'claudeKeys.importKeyFromEnvironment',
  showKeyMenu: 'claudeKeys.showKeyMenu',
  showLog: 'claudeKeys.showLog',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const SecretKeys = {
  apiKey: 'claudeKeys.apiKey',
} as const;

export const StateKeys = {
  apiKeyMetadata: 'claudeKeys.apiKeyMetadata',
  environmentImportOffered: 'claudeKeys.environmentImportOffered',
} as const;

export const STATUS_BAR_ITEM_ID = 'claudeKeys.status';
export const OUTPUT_CHANNEL_NAME = 'Claude Keys';
export const API_KEY_ENV_VAR = 'ANTHROPIC_API_KEY';

export const Urls = {
  consoleKeys: 'https://console.anthropic.com/settings/keys',
  secretStorageHelp: 'https://code.visualstudio.com/docs/configure/settings-sync#_troubleshooting-keychain-issues',
} as const;
