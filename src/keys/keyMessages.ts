import * as vscode from 'vscode';
import type { KeyInputProblem } from '../core/keyInput';
import type { SecretStorageFailure } from '../core/secretStorageErrors';
import type { ApiArea, StorageBackend, ValidationState } from '../core/keyStatus';

/** Plain-words explanation of why a pasted value is not a Claude API key. Never contains the value. */
export function keyInputProblemMessage(problem: KeyInputProblem): string {
  switch (problem.reason) {
    case 'empty':
      return vscode.l10n.t('Paste your Claude API key. It starts with sk-ant-api03-.');
    case 'innerWhitespace':
      return vscode.l10n.t('The key contains spaces or line breaks. Copy it again from the Console as one line.');
    case 'adminKey':
      return vscode.l10n.t(
        'This is an Admin API key (sk-ant-admin01-…). It manages your organisation and cannot send prompts. Paste a normal API key (sk-ant-api03-…) here.',
      );
    case 'oauthToken':
      return vscode.l10n.t(
        "This is a Claude Code login token (sk-ant-oat01-/ort01-…), not an API key. Create an API key in the Console instead, and keep this token private.",
      );
    case 'sessionKey':
      return vscode.l10n.t(
        'This is a claude.ai browser session key (sk-ant-sid01-…), not an API key. Never paste it anywhere: it signs in as you. Create an API key in the Console.',
      );
    case 'openAiKey':
      return vscode.l10n.t('This looks like an OpenAI key (sk-…/sk-proj-…). Claude API keys start with sk-ant-api03-.');
    case 'githubToken':
      return vscode.l10n.t('This is a GitHub token, not a Claude API key. Claude API keys start with sk-ant-api03-.');
    case 'otherProviderKey':
      return vscode.l10n.t('This looks like a {0} key, not a Claude API key. Claude API keys start with sk-ant-api03-.', problem.provider);
    case 'wrongLength':
      return vscode.l10n.t(
        'This key has {0} characters; a Claude API key has {1}. Part of it may be missing: copy it again from the Console.',
        problem.length,
        problem.expected,
      );
    case 'invalidCharacters':
      return vscode.l10n.t('The key contains characters a Claude API key never has. Copy it again from the Console.');
    case 'unknownAnthropicFormat':
      return vscode.l10n.t('This is an Anthropic credential but not a current API key (sk-ant-api03-…, ending in AA). Create a new key in the Console.');
    case 'notAClaudeKey':
      return vscode.l10n.t('This is not a Claude API key. Claude API keys start with sk-ant-api03- and are 108 characters long.');
  }
}

export function secretStorageProblemMessage(failure: SecretStorageFailure): string {
  switch (failure) {
    case 'keyringUnavailable':
      return vscode.l10n.t(
        "VS Code could not reach your system's keyring, so the Claude API key cannot be stored safely. On Linux, install and unlock a keyring (gnome-keyring or KWallet) and restart VS Code. Claude Keys never stores the key anywhere else.",
      );
    case 'decryptionFailed':
      return vscode.l10n.t(
        'VS Code could not decrypt its stored secrets (this happens after the keyring or its password changes). Set the Claude API key again. Claude Keys never stores the key anywhere else.',
      );
    case 'unknown':
      return vscode.l10n.t('VS Code SecretStorage failed, so the Claude API key could not be used. Claude Keys never stores the key anywhere else. See the log for details.');
  }
}

export function storageBackendDescription(backend: StorageBackend): string {
  return backend === 'browserStorage'
    ? vscode.l10n.t("VS Code SecretStorage, encrypted in this browser's storage")
    : vscode.l10n.t("VS Code SecretStorage, in your operating system's keychain");
}

/** The state of a key in words; `noAccessTo` names what a 403 refused. */
export function validationWord(state: ValidationState, noAccessTo?: ApiArea): string {
  switch (state) {
    case 'valid':
      return vscode.l10n.t('valid');
    case 'noAccess':
      return vscode.l10n.t('valid, but no access to {0} (403)', apiAreaWords(noAccessTo));
    case 'invalid':
      return vscode.l10n.t('invalid');
    case 'offline':
      return vscode.l10n.t('offline (not checked)');
    case 'unchecked':
      return vscode.l10n.t('not checked');
  }
}

function apiAreaWords(area: ApiArea | undefined): string {
  switch (area) {
    case 'models':
      return vscode.l10n.t('the model list');
    case 'messages':
      return vscode.l10n.t('prompts (the Messages API)');
    case 'countTokens':
      return vscode.l10n.t('token counting');
    case 'admin':
      return vscode.l10n.t('the Admin API');
    default:
      return vscode.l10n.t('what it asked for');
  }
}

export function keyNameProblemMessage(problem: 'empty' | 'invalid' | 'taken'): string {
  switch (problem) {
    case 'empty':
      return vscode.l10n.t('Give the key a name.');
    case 'invalid':
      return vscode.l10n.t('Use up to 32 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit.');
    case 'taken':
      return vscode.l10n.t('A key with this name exists. Pick another name, or switch to it.');
  }
}
