import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClaudeClient } from '../api/claudeClient';
import { ApiBaseUrlWatcher } from '../api/baseUrlWatcher';
import { API_KEY_ENV_VAR, Commands, Urls } from '../constants';
import { checkApiBaseUrl } from '../core/apiBaseUrl';
import { shapeOf, type CredentialKind } from '../core/credentials';
import type { Finding } from '../core/detector';
import { envReadFor, pythonImportLine, quotedSpan, shellEnvRead } from '../core/envRead';
import { DEFAULT_KEY_NAME, unusedName, type Keyring } from '../core/keyring';
import type { Liveness } from '../core/liveness';
import { maskKey } from '../core/mask';
import type { KeyStore } from '../keys/keyStore';
import type { RotationFlow } from '../keys/rotation';
import { reportStorageFailure } from '../keys/storageFailure';
import type { Logger } from '../logging/logger';
import { showWithActions, type Interaction } from '../ui/interaction';
import { eol, isEditable } from './documentText';
import type { HardcodedKeyDiagnostics } from './hardcodedKeyDiagnostics';
import { checkKeyLiveness, verdictMessage } from './liveCheck';
import type { RemainingCopies, RemainingCopiesReport, RotateStep } from './remainingCopies';

export interface MoveOutcome {
  /** moved: stored and taken out of the file; removed: only taken out of the file. */
  readonly outcome: 'moved' | 'removed' | 'declined' | 'notFound' | 'invalid' | 'failed';
  /** The API key's name, or "admin" for the Admin key slot. */
  readonly storedAs?: string;
  readonly replacement?: string;
  readonly copies?: RemainingCopies;
}

export interface LiveCheckOutcome {
  /** live, revoked, unknown: the CLI's --verify states. */
  readonly outcome: Liveness | 'notFound' | 'invalid' | 'declined';
  readonly detail?: string;
}

/** Where a found key is kept, if the user agrees: the API keys, the Admin key slot, or never. */
type Keeping = { readonly slot: 'apiKeys'; readonly name: string; readonly active: boolean; readonly already: boolean } | { readonly slot: 'admin'; readonly replaces?: string; readonly already: boolean } | { readonly slot: 'never' };

const MAX_URI_LENGTH = 8192;

/**
 * The arguments a quick fix passes to the hidden commands, checked: a command link, a task or
 * another extension can run them with anything.
 */
export function parseFindingArgs(args: readonly unknown[]): { uri: vscode.Uri; position: vscode.Position } | undefined {
  const [uri, line, character] = args;
  if (typeof uri !== 'string' || uri.length > MAX_URI_LENGTH || !isIndex(line) || !isIndex(character)) {
    return undefined;
  }
  try {
    return { uri: vscode.Uri.parse(uri, true), position: new vscode.Position(line, character) };
  } catch {
    return undefined;
  }
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Steps for a credential that is never stored: how to make the copy in the file useless. */
export function tokenAdvice(kind: CredentialKind): string {
  return kind === 'sessionKey'
    ? vscode.l10n.t('Claude Keys never stores claude.ai session keys. Anyone who has it is signed in as you: sign out of claude.ai on all your devices (in its account settings) so it stops working.')
    : vscode.l10n.t(
        'Claude Keys never stores Claude Code tokens. Anyone who has it can use your Claude account: run /logout in Claude Code and log in again so it is replaced; for CI, create one with "claude setup-token" and keep it in the CI\'s secret store.',
      );
}

/**
 * The hidden commands behind the quick fixes: move a found key out of its file (API keys into the
 * keyring, Admin keys into the Admin slot, tokens nowhere) and check a found API key live. Each
 * re-reads the document, names the masked key and file in a modal, and acts only on the user's yes.
 */
export class DetectedKeyCommands {
  constructor(
    private readonly diagnostics: HardcodedKeyDiagnostics,
    private readonly store: KeyStore,
    private readonly client: ClaudeClient,
    private readonly rotation: RotationFlow,
    private readonly copies: RemainingCopiesReport,
    private readonly ui: Interaction,
    private readonly logger: Logger,
  ) {}

  /** Moves the key a quick fix points at; `args` come from the command, so they are checked first. */
  moveFromArgs(args: readonly unknown[]): Promise<MoveOutcome> | { outcome: 'invalid' } {
    const parsed = parseFindingArgs(args);
    return parsed ? this.move(parsed.uri, parsed.position) : this.refused(Commands.moveDetectedKey);
  }

  /** Checks the key a quick fix points at, live; `args` are checked first. */
  checkFromArgs(args: readonly unknown[]): Promise<LiveCheckOutcome> | { outcome: 'invalid' } {
    const parsed = parseFindingArgs(args);
    return parsed ? this.checkLive(parsed.uri, parsed.position) : this.refused(Commands.checkDetectedKey);
  }

  async move(uri: vscode.Uri, position: vscode.Position): Promise<MoveOutcome> {
    const document = openDocument(uri);
    const found = document && this.findAt(document, position);
    if (!document || !found) {
      return this.notThere(document);
    }
    const { finding, key } = found;
    const masked = maskKey(key);
    if (!isEditable(document)) {
      // The light bulb offers no Move here; a command link could still ask.
      void this.ui.showMessage('warning', vscode.l10n.t('{0} is in a read-only document (such as a file as it was in a past commit): it cannot be moved from here.', masked), {});
      return { outcome: 'invalid' };
    }
    if (finding.encoding) {
      // Replacing part of a base64 blob or of an escaped string would corrupt it: the user edits it.
      void this.ui.showMessage('warning', vscode.l10n.t('{0} is encoded in the file ({1}): remove it by hand, then rotate it.', masked, finding.encoding), {});
      return { outcome: 'invalid' };
    }
    const file = vscode.workspace.asRelativePath(uri);
    let keeping: Keeping;
    try {
      keeping = await this.plan(finding.kind, key, path.basename(document.fileName));
    } catch (error) {
      reportStorageFailure(this.ui, this.logger, error, vscode.l10n.t('The file was not changed.'));
      return { outcome: 'failed' };
    }
    const store = await this.confirmMove(finding.kind, masked, file, keeping);
    if (store === undefined) {
      return { outcome: 'declined' };
    }
    // The document may have changed while the dialog was open.
    const still = this.findAt(document, position);
    if (!still || still.key !== key) {
      return this.notThere(document);
    }

    let storedAs: string | undefined;
    if (store && keeping.slot !== 'never' && !keeping.already) {
      try {
        storedAs = await this.keep(keeping, key);
      } catch (error) {
        reportStorageFailure(this.ui, this.logger, error, vscode.l10n.t('The file was not changed.'));
        return { outcome: 'failed' };
      }
    } else if (store && keeping.slot !== 'never') {
      storedAs = keeping.slot === 'apiKeys' ? keeping.name : 'admin';
    }

    const replacement = await this.removeFromFile(document, still.finding);
    if (replacement === undefined) {
      const kept = storedAs === undefined ? '' : ' ' + vscode.l10n.t('The key is stored in SecretStorage ({0}).', storedAs);
      void this.ui.showMessage('error', vscode.l10n.t('The file could not be changed.') + kept, {});
      return { outcome: 'failed', storedAs };
    }
    this.logger.info(`${storedAs ? `moved ${masked} into SecretStorage (${storedAs})` : `removed ${masked}`} from ${file}`);

    const copies = await this.copies.find(document, key);
    const done = this.doneMessage(finding.kind, masked, storedAs, replacement);
    void this.copies.show(done, document, copies, this.nextStepForHistory(finding.kind, storedAs), finding.kind === 'apiKey' || finding.kind === 'adminKey' ? '' : tokenAdvice(finding.kind));
    return { outcome: storedAs ? 'moved' : 'removed', storedAs, replacement, copies };
  }

  /** On demand only, after a yes: asks the API whether the key works. */
  async checkLive(uri: vscode.Uri, position: vscode.Position): Promise<LiveCheckOutcome> {
    const document = openDocument(uri);
    const found = document && this.findAt(document, position);
    if (!document || !found) {
      return { outcome: document ? 'notFound' : 'invalid' };
    }
    const masked = maskKey(found.key);
    if (found.finding.kind !== 'apiKey') {
      void this.ui.showMessage('info', vscode.l10n.t('Only API keys can be checked; remove {0} from the file and revoke it where it was issued.', masked), {});
      return { outcome: 'unknown' };
    }
    const endpoint = checkApiBaseUrl(ApiBaseUrlWatcher.current());
    const host = endpoint.ok ? endpoint.host : '?';
    const check = vscode.l10n.t('Check Key');
    const answer = await this.ui.showMessage(
      'warning',
      vscode.l10n.t('Send the key {0} from {1} to {2} to check whether it works?', masked, vscode.workspace.asRelativePath(uri), host),
      { modal: true, detail: vscode.l10n.t('Claude Keys makes one call (GET /v1/models) with it. Check only keys you are allowed to use.') },
      check,
    );
    const still = this.findAt(document, position);
    if (answer !== check) {
      return { outcome: 'declined' };
    }
    if (!still || still.key !== found.key) {
      return { outcome: 'notFound' };
    }
    const verdict = await Promise.resolve(this.ui.withProgress(vscode.l10n.t('Checking Claude API key {0}…', masked), false, () => checkKeyLiveness(this.client, found.key)));
    this.logger.info(`live check of ${masked}: ${verdict.state} (${verdict.detail})`);
    const message = verdictMessage(masked, verdict);
    if (verdict.state === 'live') {
      const stored = (await this.diagnostics.storedName(found.key)) !== undefined;
      void showWithActions(
        this.ui,
        'warning',
        message,
        stored ? [{ label: vscode.l10n.t('Rotate Key'), command: Commands.rotateApiKey }] : [{ label: vscode.l10n.t('Open Console'), url: Urls.consoleKeys }],
      );
    } else if (verdict.state === 'revoked') {
      void this.ui.showMessage('info', message, {});
    } else {
      void showWithActions(this.ui, 'warning', message, [{ label: vscode.l10n.t('Open Status Page'), url: Urls.statusPage }]);
    }
    return { outcome: verdict.state, detail: verdict.detail };
  }

  /** The active key's name, if one is active and SecretStorage can be read. */
  async activeKeyName(): Promise<string | undefined> {
    try {
      return (await this.store.getKeyring()).active;
    } catch {
      return undefined;
    }
  }

  private findAt(document: vscode.TextDocument, position: vscode.Position): { finding: Finding; key: string } | undefined {
    if (document.isClosed || position.line >= document.lineCount) {
      return undefined;
    }
    return this.diagnostics.findingAt(document, new vscode.Range(position, position));
  }

  private notThere(document: vscode.TextDocument | undefined): MoveOutcome {
    if (!document) {
      return { outcome: 'invalid' };
    }
    void this.ui.showMessage('warning', vscode.l10n.t('The key is no longer there.'), {});
    return { outcome: 'notFound' };
  }

  private refused(command: string): { outcome: 'invalid' } {
    this.logger.warn(`${command} ignored: its arguments do not name a position in a document`);
    return { outcome: 'invalid' };
  }

  /** Where the key would go, read before asking so the dialog can say it. */
  private async plan(kind: CredentialKind, key: string, fileName: string): Promise<Keeping> {
    if (kind === 'apiKey') {
      const keyring: Keyring = await this.store.getKeyring();
      const existing = Object.entries(keyring.keys).find(([, k]) => k === key)?.[0];
      if (existing !== undefined) {
        return { slot: 'apiKeys', name: existing, active: existing === keyring.active, already: true };
      }
      if (keyring.active === undefined) {
        return { slot: 'apiKeys', name: unusedName(keyring, DEFAULT_KEY_NAME), active: true, already: false };
      }
      const base = `from ${fileName}`.replace(/[^A-Za-z0-9 _.-]/g, '-').slice(0, 28);
      return { slot: 'apiKeys', name: unusedName(keyring, base), active: false, already: false };
    }
    if (kind === 'adminKey') {
      const stored = await this.store.getAdminKey();
      return { slot: 'admin', replaces: stored !== undefined && stored !== key ? maskKey(stored) : undefined, already: stored === key };
    }
    return { slot: 'never' };
  }

  /** true: store and remove; false: only remove from the file; undefined: do nothing. */
  private async confirmMove(kind: CredentialKind, masked: string, file: string, keeping: Keeping): Promise<boolean | undefined> {
    const removeOnly = vscode.l10n.t('Remove from File Only');
    if (keeping.slot === 'never') {
      const remove = vscode.l10n.t('Remove from File');
      const answer = await this.ui.showMessage(
        'warning',
        vscode.l10n.t('Remove the {0} {1} from {2}?', shapeOf(kind).label, masked, file),
        { modal: true, detail: tokenAdvice(kind) },
        remove,
      );
      return answer === remove ? false : undefined;
    }
    const notYours = vscode.l10n.t("Keep it only if it is yours: a key someone left in a repository is not yours to use. Then choose '{0}'.", removeOnly);
    if (keeping.slot === 'admin') {
      const storeAdmin = vscode.l10n.t('Store Admin Key');
      const detail = [
        keeping.already
          ? vscode.l10n.t('It is already your stored Admin key.')
          : keeping.replaces
            ? vscode.l10n.t('It replaces the Admin key {0} stored now.', keeping.replaces)
            : vscode.l10n.t('Claude Keys uses an Admin key only to deactivate old API keys when you rotate.'),
        notYours,
        vscode.l10n.t('The value is then removed from the file.'),
      ];
      const answer = await this.ui.showMessage(
        'warning',
        vscode.l10n.t('Store the Admin API key {0} from {1} as your Admin key?', masked, file),
        { modal: true, detail: detail.join('\n') },
        storeAdmin,
        removeOnly,
      );
      return answer === storeAdmin ? true : answer === removeOnly ? false : undefined;
    }
    const moveKey = vscode.l10n.t('Move Key');
    const detail = [
      keeping.already
        ? vscode.l10n.t('It is already stored as "{0}": only the file changes.', keeping.name)
        : keeping.active
          ? vscode.l10n.t('It becomes your active key, named "{0}".', keeping.name)
          : vscode.l10n.t('It is stored as "{0}"; your active key stays active.', keeping.name),
      notYours,
    ];
    const answer = await this.ui.showMessage(
      'warning',
      vscode.l10n.t('Move the Claude API key {0} from {1} into SecretStorage?', masked, file),
      { modal: true, detail: detail.join('\n') },
      moveKey,
      removeOnly,
    );
    return answer === moveKey ? true : answer === removeOnly ? false : undefined;
  }

  private async keep(keeping: Keeping, key: string): Promise<string> {
    if (keeping.slot === 'admin') {
      await this.store.setAdminKey(key);
      return 'admin';
    }
    if (keeping.slot === 'apiKeys') {
      // Always by name, so no stored key is overwritten (another window may have added one since).
      const keyring = await this.store.getKeyring();
      return this.store.setApiKey(key, 'source', unusedName(keyring, keeping.name));
    }
    throw new Error('this credential is never stored');
  }

  /**
   * Replaces an API key literal (quotes included) with the language's read of ANTHROPIC_API_KEY, in
   * one edit (one undo step); any other credential, or a key in config or docs, is removed.
   */
  private async removeFromFile(document: vscode.TextDocument, finding: Finding): Promise<string | undefined> {
    const uri = document.uri;
    const text = document.getText();
    const edit = new vscode.WorkspaceEdit();
    let replacement = '';
    let span = { start: finding.start, end: finding.end };
    const read = finding.kind === 'apiKey' ? envReadFor(document.languageId) : undefined;
    const quoted = quotedSpan(text, finding.start, finding.end);
    if (read && quoted) {
      replacement = read.expression;
      span = quoted;
      if (read.requires && !read.requires.present.test(text)) {
        edit.insert(uri, new vscode.Position(pythonImportLine(text), 0), read.requires.line + eol(document));
      }
    } else if (finding.kind === 'apiKey' && document.languageId === 'shellscript') {
      // Bare, or inside a longer string such as a curl header: the read follows the line's quoting.
      const shell = shellEnvRead(text, finding.start, finding.end);
      replacement = shell.replacement;
      span = shell;
    }
    edit.replace(uri, new vscode.Range(document.positionAt(span.start), document.positionAt(span.end)), replacement);
    return (await vscode.workspace.applyEdit(edit)) ? replacement : undefined;
  }

  private doneMessage(kind: CredentialKind, masked: string, storedAs: string | undefined, replacement: string): string {
    const where =
      replacement === ''
        ? vscode.l10n.t('The value was removed from the file.')
        : vscode.l10n.t('The code now reads {0}; turn on the setting claudeKeys.injectIntoTerminals to have new terminals set it.', API_KEY_ENV_VAR);
    if (storedAs === 'admin' && kind === 'adminKey') {
      return vscode.l10n.t('Stored {0} as your Admin key.', masked) + ' ' + where;
    }
    if (storedAs !== undefined) {
      return vscode.l10n.t('Moved {0} into SecretStorage (key "{1}").', masked, storedAs) + ' ' + where;
    }
    return vscode.l10n.t('Removed {0} from the file; Claude Keys did not store it.', masked) + (replacement === '' ? '' : ' ' + where);
  }

  /** For a key in git history: rotate it (a stored API key, by name), else disable it in the Console. */
  private nextStepForHistory(kind: CredentialKind, storedAs: string | undefined): RotateStep | undefined {
    if (kind === 'apiKey' && storedAs !== undefined) {
      return { label: vscode.l10n.t('Rotate Key'), run: () => this.rotation.rotate({ name: storedAs }) };
    }
    if (kind === 'apiKey' || kind === 'adminKey') {
      return { label: vscode.l10n.t('Open Console'), run: () => this.ui.openExternal(Urls.consoleKeys) };
    }
    return undefined;
  }
}

/** Only a document VS Code already has open: a forged argument must not make us read any file. */
function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const wanted = uri.toString();
  return vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === wanted);
}
