/** Every id the extension uses, declared once. package.json must agree (a test checks it). */

export const EXTENSION_ID = 'claude-keys.claude-keys';

export const Commands = {
  setApiKey: 'claudeKeys.setApiKey',
  clearApiKey: 'claudeKeys.clearApiKey',
  showKeyStatus: 'claudeKeys.showKeyStatus',
  importKeyFromEnvironment: 'claudeKeys.importKeyFromEnvironment',
  showKeyMenu: 'claudeKeys.showKeyMenu',
  showLog: 'claudeKeys.showLog',
  validateApiKey: 'claudeKeys.validateApiKey',
  rotateApiKey: 'claudeKeys.rotateApiKey',
  reportLeakedKey: 'claudeKeys.reportLeakedKey',
  switchApiKey: 'claudeKeys.switchApiKey',
  addNamedApiKey: 'claudeKeys.addNamedApiKey',
  setAdminKey: 'claudeKeys.setAdminKey',
  clearAdminKey: 'claudeKeys.clearAdminKey',
  moveKeysFromSettings: 'claudeKeys.moveKeysFromSettings',
  scanWorkspace: 'claudeKeys.scanWorkspace',
  /** Run by quick fixes (hidden from the palette). */
  moveDetectedKey: 'claudeKeys.moveDetectedKey',
  checkDetectedKey: 'claudeKeys.checkDetectedKey',
  deactivateDetectedKey: 'claudeKeys.deactivateDetectedKey',
  openPromptPanel: 'claudeKeys.openPromptPanel',
  quickPrompt: 'claudeKeys.quickPrompt',
  sendSelectionAsPrompt: 'claudeKeys.sendSelectionAsPrompt',
  /** Input tokens of the selection (or document) and what sending them would cost. */
  countTokens: 'claudeKeys.countTokens',
  openWalkthrough: 'claudeKeys.openWalkthrough',
  showPreCommitHook: 'claudeKeys.showPreCommitHook',
  /** Opens the Show Usage panel (charts, tables, export). */
  showUsage: 'claudeKeys.showUsage',
  /** Admin API usage and cost reports against the ledger, with the leak hint. */
  checkOrganisationUsage: 'claudeKeys.checkOrganisationUsage',
  scanGitHistory: 'claudeKeys.scanGitHistory',
  /** On key nodes of the git history view (hidden from the palette). */
  rotateHistoryKey: 'claudeKeys.rotateHistoryKey',
  reportHistoryKey: 'claudeKeys.reportHistoryKey',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const SecretKeys = {
  /** JSON: every named API key and which one is active (see core/keyring). */
  keyring: 'claudeKeys.keyring',
  adminKey: 'claudeKeys.adminKey',
} as const;

export const StateKeys = {
  /** Per key name: when it was set, rotated, last checked. Never the key. */
  keyMetadata: 'claudeKeys.keyMetadata',
  environmentImportOffered: 'claudeKeys.environmentImportOffered',
  terminalWarningShown: 'claudeKeys.terminalWarningShown',
  promptHistory: 'claudeKeys.promptHistory',
  promptSettings: 'claudeKeys.promptSettings',
  /** True once the first-run walkthrough was opened (or deliberately not): it opens at most once. */
  walkthroughOffered: 'claudeKeys.walkthroughOffered',
  /** The budget warnings already given this month (each is given once). */
  budgetWarnings: 'claudeKeys.usage.budgetWarnings',
} as const;

/** Context keys the walkthrough's completionEvents watch (package.json: `onContext:<key>`). */
export const ContextKeys = {
  hasKey: 'claudeKeys.hasKey',
  keyValid: 'claudeKeys.keyValid',
  promptAnswered: 'claudeKeys.promptAnswered',
} as const;

/** Context key that shows the git history view once Scan Git History has run. */
export const HISTORY_SCANNED_CONTEXT = 'claudeKeys.historyScanned';

/** The Explorer view with Scan Git History's results. */
export const HISTORY_VIEW_ID = 'claudeKeys.gitHistory';
/** Read-only documents of a file as it was in a commit (history/historyContent.ts). */
export const HISTORY_SCHEME = 'claude-keys-history';

/** The first-run walkthrough: its id in package.json, and the id VS Code opens it by. */
export const WALKTHROUGH_ID = 'claudeKeys.gettingStarted';
/** VS Code's own setting: open an extension's walkthrough when it is installed. */
export const OPEN_WALKTHROUGH_ON_INSTALL_SETTING = 'workbench.welcomePage.walkthroughs.openOnInstall';

export const Settings = {
  section: 'claudeKeys',
  apiBaseUrl: 'apiBaseUrl',
  rotationReminderDays: 'rotationReminderDays',
  injectIntoTerminals: 'injectIntoTerminals',
  /** Deprecated and never read: declared so the settings UI warns whoever puts a key there. */
  deprecatedApiKey: 'apiKey',
  detectionEnabled: 'detection.enabled',
  detectionSeverity: 'detection.severity',
  promptKeepHistory: 'prompt.keepHistory',
  promptQuickPromptTarget: 'prompt.quickPromptTarget',
  promptDefaultModel: 'prompt.defaultModel',
  promptMaxTokens: 'prompt.maxTokens',
  usageRetentionMonths: 'usage.retentionMonths',
  usagePricing: 'usage.pricing',
  usageMonthlyBudgetUsd: 'usage.monthlyBudgetUsd',
  usageBudgetWarningPercent: 'usage.budgetWarningPercent',
  maxRequestsPerMinute: 'maxRequestsPerMinute',
} as const;

export const PROMPT_PANEL_VIEW_TYPE = 'claudeKeys.promptPanel';

export const DIAGNOSTIC_COLLECTION = 'Claude Keys';

/** Stable diagnostic codes, one per credential kind; quick fixes filter on them. */
export const DiagnosticCodes = {
  apiKey: 'claude-keys.api-key',
  adminKey: 'claude-keys.admin-key',
  oauthAccessToken: 'claude-keys.oauth-token',
  oauthRefreshToken: 'claude-keys.oauth-token',
  sessionKey: 'claude-keys.session-key',
} as const;

export const STATUS_BAR_ITEM_ID = 'claudeKeys.status';
export const OUTPUT_CHANNEL_NAME = 'Claude Keys';
/** The Show Usage panel. */
export const USAGE_PANEL_VIEW_TYPE = 'claudeKeys.usagePanel';

/** Folder of the usage ledger inside the extension's global storage. */
export const USAGE_LEDGER_FOLDER = 'usage';
export const API_KEY_ENV_VAR = 'ANTHROPIC_API_KEY';

export const Urls = {
  consoleKeys: 'https://console.anthropic.com/settings/keys',
  consoleUsage: 'https://console.anthropic.com/usage',
  consoleLimits: 'https://console.anthropic.com/settings/limits',
  consoleBilling: 'https://console.anthropic.com/settings/billing',
  statusPage: 'https://status.anthropic.com',
  secretStorageHelp: 'https://code.visualstudio.com/docs/configure/settings-sync#_troubleshooting-keychain-issues',
} as const;
