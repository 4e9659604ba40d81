import * as vscode from 'vscode';
import { classifyCredential } from '../core/credentials';
import { checkApiKeyInput, normalizeKeyInput } from '../core/keyInput';
import type { Interaction } from '../ui/interaction';
import { keyInputProblemMessage } from './keyMessages';

const error = (message: string): vscode.InputBoxValidationMessage => ({ message, severity: vscode.InputBoxValidationSeverity.Error });

/**
 * The masked box every API key is pasted into. Returns the normalised key, or undefined when the
 * user gave up. `reject` adds a check (e.g. "this is the key you are replacing").
 */
export async function promptForApiKey(
  ui: Interaction,
  options: { title: string; prompt: string; reject?: (key: string) => string | undefined },
): Promise<string | undefined> {
  const value = await ui.showInputBox({
    title: options.title,
    prompt: options.prompt,
    placeHolder: 'sk-ant-api03-…',
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => {
      const checked = checkApiKeyInput(text);
      if (!checked.ok) {
        return error(keyInputProblemMessage(checked));
      }
      const extra = options.reject?.(checked.key);
      return extra ? error(extra) : undefined;
    },
  });
  if (value === undefined) {
    return undefined;
  }
  // The box already refused bad values; check again so no path stores an unchecked one.
  const checked = checkApiKeyInput(value);
  if (!checked.ok || options.reject?.(checked.key)) {
    return undefined;
  }
  return checked.key;
}

/** The masked box for an Admin API key (sk-ant-admin01-…). */
export async function promptForAdminKey(ui: Interaction): Promise<string | undefined> {
  const check = (text: string): string | undefined => {
    const value = normalizeKeyInput(text.replace(/^(?:export\s+)?ANTHROPIC_ADMIN_KEY\s*[=:]\s*/, ''));
    if (value === '') {
      return vscode.l10n.t('Paste your Admin API key. It starts with sk-ant-admin01-.');
    }
    if (/\s/.test(value)) {
      return vscode.l10n.t('The key contains spaces or line breaks. Copy it again from the Console as one line.');
    }
    const kind = classifyCredential(value);
    if (kind === 'adminKey') {
      return undefined;
    }
    if (kind === 'apiKey') {
      return vscode.l10n.t('This is a normal API key (sk-ant-api03-…). The Admin key starts with sk-ant-admin01- and is made by an organisation admin in the Console.');
    }
    return vscode.l10n.t('This is not a Claude Admin API key. Admin keys start with sk-ant-admin01- and are 110 characters long.');
  };
  const value = await ui.showInputBox({
    title: vscode.l10n.t('Claude Keys: Set Admin Key'),
    prompt: vscode.l10n.t('Paste an Admin API key. Claude Keys uses it only to deactivate old API keys after a rotation. It is kept in SecretStorage.'),
    placeHolder: 'sk-ant-admin01-…',
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => {
      const message = check(text);
      return message ? error(message) : undefined;
    },
  });
  if (value === undefined || check(value)) {
    return undefined;
  }
  return normalizeKeyInput(value.replace(/^(?:export\s+)?ANTHROPIC_ADMIN_KEY\s*[=:]\s*/, ''));
}
