/**
 * Every user-facing string of the panel, in one place. `t` formats `{0}`-style placeholders; no
 * translations ship yet, so this is also where a translated panel would look messages up.
 */

export function t(message: string, ...args: ReadonlyArray<string | number>): string {
  return message.replace(/\{(\d+)\}/g, (match, index: string) => {
    const arg = args[Number(index)];
    return arg === undefined ? match : String(arg);
  });
}

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

export const strings = {
  loading: () => t('Loading…'),
  model: () => t('Model'),
  modelsOffline: () => t('Built-in list (offline)'),
  modelsOfflineTitle: () => t('The model list could not be loaded from the API; showing the built-in list.'),
  noModels: () => t('No models available'),
  notListed: (id: string) => t('{0} (not listed)', id),
  systemSection: () => t('System prompt'),
  systemSet: () => t('(set)'),
  systemLabel: () => t('Instructions sent as the system prompt (optional)'),
  prompt: () => t('Prompt'),
  promptPlaceholder: () => t('Ask Claude something…'),
  maxTokens: () => t('Max tokens'),
  temperature: () => t('Temperature'),
  send: () => t('Send'),
  sendTitle: () => t('Send ({0})', isMac ? '⌘+Enter' : 'Ctrl+Enter'),
  sendHint: () => t('{0} to send', isMac ? '⌘+Enter' : 'Ctrl+Enter'),
  stop: () => t('Stop'),
  stopTitle: () => t('Stop the answer'),
  noKey: () => t('No Claude API key is stored.'),
  setKey: () => t('Set API Key'),
  answer: () => t('Answer'),
  answerEmpty: () => t('The answer appears here.'),
  copyCode: () => t('Copy code'),
  copyAnswer: () => t('Copy Answer'),
  insertAnswer: () => t('Insert Answer at Cursor'),
  openAnswer: () => t('Open Answer as Document'),
  statusSending: () => t('Sending…'),
  statusStreaming: () => t('Streaming…'),
  statusStopping: () => t('Stopping…'),
  statusRetrying: (attempt: number, of: number, seconds: number) => t('Waiting to retry (attempt {0} of {1}, {2} s)', attempt, of, seconds),
  statusRetryingAfter: (status: number, attempt: number, of: number, seconds: number) => t('{0}: waiting to retry (attempt {1} of {2}, {3} s)', status, attempt, of, seconds),
  statusNoData: (seconds: number) => t('No data for {0} s…', seconds),
  statusStopped: () => t('Stopped'),
  statusDone: () => t('Done'),
  statusError: () => t('Error'),
  statusWarning: () => t('Warning'),
  stoppedBadge: () => t('Stopped'),
  stoppedBadgeTitle: () => t('The answer was stopped before it was complete.'),
  metricsLabel: () => t('Answer metrics'),
  inputTokens: () => t('Input tokens'),
  outputTokens: () => t('Output tokens'),
  ttft: () => t('First token'),
  total: () => t('Total time'),
  stopReason: () => t('Stop reason'),
  rateLimit: () => t('Rate limit'),
  ms: (n: string) => t('{0} ms', n),
  seconds: (n: string) => t('{0} s', n),
  history: () => t('History'),
  historyEmpty: () => t('No prompts yet.'),
  clearHistory: () => t('Clear'),
  clearHistoryTitle: () => t('Clear the prompt history'),
  promptNotKept: () => t('(prompt not kept)'),
  historyItemTitle: (model: string) => t('Use this prompt again with {0}', model),
  errorEmptyPrompt: () => t('Enter a prompt.'),
  errorPromptTooLong: (max: string) => t('The prompt is too long (at most {0} characters).', max),
  errorSystemTooLong: (max: string) => t('The system prompt is too long (at most {0} characters).', max),
  errorModel: () => t('Choose a model.'),
  errorMaxTokens: (max: string) => t('Max tokens must be a whole number from 1 to {0}.', max),
  errorTemperature: () => t('Temperature must be a number from 0 to 1.'),
  errorTooLongToSend: () => t('The answer is too long to hand over.'),
  dismiss: () => t('Dismiss'),
  countTokens: () => t('Count tokens'),
  countTokensTitle: () => t('Count the input tokens of this prompt, system prompt and model (sends them to the API; free)'),
  counting: () => t('Counting…'),
  tokenCount: (tokens: string, cost: string) => t('{0} input tokens · {1}', tokens, cost),
  estInputCost: (usd: string) => t('est. {0} for input', usd),
  priceUnknown: () => t('price unknown'),
  countNoAnswer: () => t('No count came back. Try again.'),
};
