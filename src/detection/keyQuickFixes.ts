import * as path from 'node:path';
import * as vscode from 'vscode';
import { explainApiProblem } from '../api/apiProblemMessages';
import { API_KEY_ENV_VAR, Commands, Urls } from '../constants';
import { commentSyntaxFor, ignoreCommentLine } from '../core/commentSyntax';
import { IGNORE_MARKER } from '../core/detector';
import { envReadFor, pythonImportLine, quotedSpan, shellEnvRead } from '../core/envRead';
import { checkKeyName, keyNames } from '../core/keyring';
import { maskKey } from '../core/mask';
import type { KeyValidator } from '../keys/keyValidation';
import type { KeyStore } from '../keys/keyStore';
import { reportStorageFailure } from '../keys/storageFailure';
import type { Logger } from '../logging/logger';
import { showWithActions, type Interaction } from '../ui/interaction';
import type { GitStatus } from './gitStatus';
import { isKeyDiagnostic, type HardcodedKeyDiagnostics } from './hardcodedKeyDiagnostics';

export interface MoveOutcome {
  readonly outcome: 'moved' | 'notFound' | 'failed';
  readonly storedAs?: string;
  readonly replacement?: string;
}

export interface LiveCheckOutcome {
  readonly outcome: 'live' | 'dead' | 'unknown' | 'notFound';
}

/** A .env file by name: `.env`, `.env.local`, `prod.env`. */
export function isDotEnv(fileName: string): boolean {
  const base = path.basename(fileName);
  return /^\.env(\.[\w.-]+)?$/.test(base) || /\.env$/.test(base);
}

/**
 * Quick fixes on a hard-coded key diagnostic: move it to SecretStorage and read the environment
 * instead, ignore this occurrence, git-ignore a .env, check whether the key is live, rotate.
 */
export class KeyQuickFixes implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly diagnostics: HardcodedKeyDiagnostics,
    private readonly store: KeyStore,
    private readonly validator: KeyValidator,
    private readonly git: GitStatus,
    private readonly ui: Interaction,
    private readonly logger: Logger,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.languages.registerCodeActionsProvider('*', this, { providedCodeActionKinds: KeyQuickFixes.providedCodeActionKinds }),
      vscode.commands.registerCommand(Commands.moveDetectedKey, (uri: string, line: number, character: number) => this.moveToSecretStorage(vscode.Uri.parse(uri), new vscode.Position(line, character))),
      vscode.commands.registerCommand(Commands.checkDetectedKey, (uri: string, line: number, character: number) => this.checkLive(vscode.Uri.parse(uri), new vscode.Position(line, character))),
    ];
  }

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics.filter(isKeyDiagnostic)) {
      const found = this.diagnostics.findingAt(document, diagnostic.range);
      if (!found) {
        continue;
      }
      const args = [document.uri.toString(), diagnostic.range.start.line, diagnostic.range.start.character];
      const move = new vscode.CodeAction(vscode.l10n.t('Move key to SecretStorage and read {0}', API_KEY_ENV_VAR), vscode.CodeActionKind.QuickFix);
      move.diagnostics = [diagnostic];
      move.isPreferred = true;
      move.command = { title: move.title, command: Commands.moveDetectedKey, arguments: args };
      actions.push(move);

      const syntax = commentSyntaxFor(document.languageId, document.fileName);
      if (syntax) {
        const ignore = new vscode.CodeAction(vscode.l10n.t('Ignore this occurrence'), vscode.CodeActionKind.QuickFix);
        ignore.diagnostics = [diagnostic];
        const line = document.lineAt(diagnostic.range.start.line);
        const indent = line.text.slice(0, line.firstNonWhitespaceCharacterIndex);
        ignore.edit = new vscode.WorkspaceEdit();
        ignore.edit.insert(document.uri, line.range.start, ignoreCommentLine(syntax, indent, `${IGNORE_MARKER}-next-line`) + eol(document));
        actions.push(ignore);
      }

      if (isDotEnv(document.fileName) && (await this.git.isIgnored(document.uri)) === false) {
        const gitignore = await this.gitignoreEdit(document.uri);
        if (gitignore) {
          const action = new vscode.CodeAction(vscode.l10n.t('Add {0} to .gitignore', path.basename(document.fileName)), vscode.CodeActionKind.QuickFix);
          action.diagnostics = [diagnostic];
          action.edit = gitignore;
          actions.push(action);
        }
      }

      const check = new vscode.CodeAction(vscode.l10n.t('Check if this key is live'), vscode.CodeActionKind.QuickFix);
      check.diagnostics = [diagnostic];
      check.command = { title: check.title, command: Commands.checkDetectedKey, arguments: args };
      actions.push(check);

      if ((await this.git.isTracked(document.uri)) && (await this.diagnostics.storedName(found.key)) !== undefined) {
        const rotate = new vscode.CodeAction(vscode.l10n.t('Rotate this key (it is in git history)'), vscode.CodeActionKind.QuickFix);
        rotate.diagnostics = [diagnostic];
        rotate.command = { title: rotate.title, command: Commands.rotateApiKey };
        actions.push(rotate);
      }
    }
    return actions;
  }

  /**
   * Stores the key (as the active key if none is stored, else under a new name) and replaces the
   * literal with the language's read of ANTHROPIC_API_KEY, in one edit (one undo step).
   */
  async moveToSecretStorage(uri: vscode.Uri, position: vscode.Position): Promise<MoveOutcome> {
    const document = await vscode.workspace.openTextDocument(uri);
    const found = this.diagnostics.findingAt(document, new vscode.Range(position, position));
    if (!found) {
      void this.ui.showMessage('warning', vscode.l10n.t('The key is no longer there.'), {});
      return { outcome: 'notFound' };
    }
    const { finding, key } = found;
    let storedAs: string;
    try {
      storedAs = await this.keep(key, path.basename(document.fileName));
    } catch (error) {
      reportStorageFailure(this.ui, this.logger, error, vscode.l10n.t('The file was not changed.'));
      return { outcome: 'failed' };
    }

    const text = document.getText();
    const read = envReadFor(document.languageId);
    const quoted = quotedSpan(text, finding.start, finding.end);
    const edit = new vscode.WorkspaceEdit();
    let replacement: string;
    let span = { start: finding.start, end: finding.end };
    if (read && quoted) {
      replacement = read.expression;
      span = quoted;
      if (read.requires && !read.requires.present.test(text)) {
        const line = pythonImportLine(text);
        edit.insert(uri, new vscode.Position(line, 0), read.requires.line + eol(document));
      }
    } else if (document.languageId === 'shellscript') {
      // Bare, or inside a longer string such as a curl header: the read follows the line's quoting.
      const shell = shellEnvRead(text, finding.start, finding.end);
      replacement = shell.replacement;
      span = shell;
    } else {
      // Config, docs, or a key inside a longer string: remove the value.
      replacement = '';
    }
    edit.replace(uri, new vscode.Range(document.positionAt(span.start), document.positionAt(span.end)), replacement);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void this.ui.showMessage('error', vscode.l10n.t('The file could not be changed; the key is stored in SecretStorage as "{0}".', storedAs), {});
      return { outcome: 'failed', storedAs };
    }
    this.logger.info(`moved ${maskKey(key)} from ${vscode.workspace.asRelativePath(uri)} into SecretStorage as "${storedAs}"`);
    const where =
      replacement === ''
        ? vscode.l10n.t('The value was removed from the file.')
        : vscode.l10n.t('The code now reads {0}; turn on the setting claudeKeys.injectIntoTerminals to have new terminals set it.', API_KEY_ENV_VAR);
    const tracked = await this.git.isTracked(uri);
    const message = [vscode.l10n.t('Moved {0} into SecretStorage (key "{1}").', maskKey(key), storedAs), where];
    if (tracked) {
      message.push(vscode.l10n.t('The file is tracked by git, so the key is in its history: rotate it.'));
    }
    void showWithActions(this.ui, tracked ? 'warning' : 'info', message.join(' '), tracked ? [{ label: vscode.l10n.t('Rotate Key'), command: Commands.rotateApiKey }] : []);
    return { outcome: 'moved', storedAs, replacement };
  }

  /** On demand only: asks the API whether the key works. */
  async checkLive(uri: vscode.Uri, position: vscode.Position): Promise<LiveCheckOutcome> {
    const document = await vscode.workspace.openTextDocument(uri);
    const found = this.diagnostics.findingAt(document, new vscode.Range(position, position));
    if (!found) {
      return { outcome: 'notFound' };
    }
    const masked = maskKey(found.key);
    if (found.finding.kind !== 'apiKey') {
      void this.ui.showMessage('info', vscode.l10n.t('Only API keys can be checked; remove {0} from the file and revoke it where it was issued.', masked), {});
      return { outcome: 'unknown' };
    }
    const result = await this.validator.check(found.key);
    if (result.ok) {
      const stored = (await this.diagnostics.storedName(found.key)) !== undefined;
      void showWithActions(
        this.ui,
        'warning',
        vscode.l10n.t('{0} is LIVE: anyone who can read this file can use it. Move it out of the file and rotate it now.', masked),
        stored ? [{ label: vscode.l10n.t('Rotate Key'), command: Commands.rotateApiKey }] : [{ label: vscode.l10n.t('Open Console'), url: Urls.consoleKeys }],
      );
      return { outcome: 'live' };
    }
    if (result.problem.kind === 'invalidKey') {
      void this.ui.showMessage('info', vscode.l10n.t('{0} is dead: the API rejects it. Remove it from the file anyway.', masked), {});
      return { outcome: 'dead' };
    }
    const explanation = explainApiProblem(result.problem, vscode.l10n.t('Checking {0}', masked));
    void showWithActions(this.ui, 'warning', vscode.l10n.t('Could not tell whether the key is live.') + ' ' + explanation.message, explanation.actions);
    return { outcome: 'unknown' };
  }

  private async keep(key: string, fileName: string): Promise<string> {
    const keyring = await this.store.getKeyring();
    const existing = Object.entries(keyring.keys).find(([, k]) => k === key);
    if (existing) {
      return existing[0];
    }
    if (keyring.active === undefined) {
      return this.store.setApiKey(key, 'source');
    }
    const names = keyNames(keyring);
    const base = `from ${fileName}`.replace(/[^A-Za-z0-9 _.-]/g, '-').slice(0, 28);
    let name = base;
    for (let i = 2; checkKeyName(name, names) !== undefined; i++) {
      name = `${base.slice(0, 26)}-${i}`;
    }
    return this.store.setApiKey(key, 'source', name);
  }

  private async gitignoreEdit(uri: vscode.Uri): Promise<vscode.WorkspaceEdit | undefined> {
    const root = await this.git.repositoryRoot(uri);
    if (!root) {
      return undefined;
    }
    const ignoreFile = vscode.Uri.file(path.join(root, '.gitignore'));
    const entry = '/' + path.relative(root, uri.fsPath).split(path.sep).join('/');
    const edit = new vscode.WorkspaceEdit();
    let existing = '';
    try {
      existing = new TextDecoder().decode(await vscode.workspace.fs.readFile(ignoreFile));
    } catch {
      edit.createFile(ignoreFile, { ignoreIfExists: true });
    }
    const prefix = existing === '' || existing.endsWith('\n') ? '' : '\n';
    const lines = existing.split(/\r?\n/);
    edit.insert(ignoreFile, new vscode.Position(Math.max(0, lines.length - 1), lines[lines.length - 1]?.length ?? 0), `${prefix}${entry}\n`);
    return edit;
  }
}

function eol(document: vscode.TextDocument): string {
  return document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
}
