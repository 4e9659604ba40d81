import * as path from 'node:path';
import * as vscode from 'vscode';
import { API_KEY_ENV_VAR, Commands } from '../constants';
import { commentSyntaxFor, ignoreCommentLine } from '../core/commentSyntax';
import { shapeOf, type CredentialKind } from '../core/credentials';
import { IGNORE_MARKER } from '../core/detector';
import type { DetectedKeyCommands } from './detectedKeyCommands';
import { eol, isEditable } from './documentText';
import type { GitStatus } from './gitStatus';
import { isKeyDiagnostic, type HardcodedKeyDiagnostics } from './hardcodedKeyDiagnostics';

/** A .env file by name: `.env`, `.env.local`, `prod.env`. */
export function isDotEnv(fileName: string): boolean {
  const base = path.basename(fileName);
  return /^\.env(\.[\w.-]+)?$/.test(base) || /\.env$/.test(base);
}

/**
 * Quick fixes on a hard-coded key diagnostic: move it out of the file (an API key into SecretStorage,
 * read from the environment instead), ignore this occurrence, git-ignore a .env, check whether the
 * key is live, rotate. Fixes with side effects run through DetectedKeyCommands, which asks first.
 * Deactivating the key in the organisation is src/identity's own provider.
 */
export class KeyQuickFixes implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly diagnostics: HardcodedKeyDiagnostics,
    private readonly git: GitStatus,
    /** What the Move and Check fixes run (tests call it directly). */
    readonly commands: DetectedKeyCommands,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.languages.registerCodeActionsProvider('*', this, { providedCodeActionKinds: KeyQuickFixes.providedCodeActionKinds }),
      vscode.commands.registerCommand(Commands.moveDetectedKey, (...args: unknown[]) => this.commands.moveFromArgs(args)),
      vscode.commands.registerCommand(Commands.checkDetectedKey, (...args: unknown[]) => this.commands.checkFromArgs(args)),
    ];
  }

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    if (!offersKeyFixes(context)) {
      return actions;
    }
    // A read-only document (e.g. a past commit's file from the Git History view) gets only the fixes that edit nothing.
    const editable = isEditable(document);
    for (const diagnostic of context.diagnostics.filter(isKeyDiagnostic)) {
      const found = this.diagnostics.findingAt(document, diagnostic.range);
      if (!found) {
        continue;
      }
      const args = [document.uri.toString(), diagnostic.range.start.line, diagnostic.range.start.character];
      const kind = found.finding.kind;
      // Moving rewrites the key's span: only a plainly written key can be replaced without corrupting the file.
      if (editable && !found.finding.encoding) {
        const move = new vscode.CodeAction(moveTitle(kind), vscode.CodeActionKind.QuickFix);
        move.diagnostics = [diagnostic];
        move.isPreferred = true;
        move.command = { title: move.title, command: Commands.moveDetectedKey, arguments: args };
        actions.push(move);
      }

      const syntax = commentSyntaxFor(document.languageId, document.fileName);
      if (editable && syntax) {
        const ignore = new vscode.CodeAction(vscode.l10n.t('Ignore this occurrence'), vscode.CodeActionKind.QuickFix);
        ignore.diagnostics = [diagnostic];
        const line = document.lineAt(diagnostic.range.start.line);
        const indent = line.text.slice(0, line.firstNonWhitespaceCharacterIndex);
        ignore.edit = new vscode.WorkspaceEdit();
        ignore.edit.insert(document.uri, line.range.start, ignoreCommentLine(syntax, indent, `${IGNORE_MARKER}-next-line`) + eol(document));
        actions.push(ignore);
      }

      if (editable && isDotEnv(document.fileName) && (await this.git.isIgnored(document.uri)) === false) {
        const gitignore = await this.gitignoreEdit(document.uri);
        if (gitignore) {
          const action = new vscode.CodeAction(vscode.l10n.t('Add {0} to .gitignore', path.basename(document.fileName)), vscode.CodeActionKind.QuickFix);
          action.diagnostics = [diagnostic];
          action.edit = gitignore;
          actions.push(action);
        }
      }

      if (kind === 'apiKey') {
        const check = new vscode.CodeAction(vscode.l10n.t('Check if this key is live'), vscode.CodeActionKind.QuickFix);
        check.diagnostics = [diagnostic];
        check.command = { title: check.title, command: Commands.checkDetectedKey, arguments: args };
        actions.push(check);
      }

      // Rotate API Key replaces the active key: offered only when that is the key in this file.
      const storedName = await this.diagnostics.storedName(found.key);
      if (storedName !== undefined && (await this.git.isTracked(document.uri)) && storedName === (await this.commands.activeKeyName())) {
        const rotate = new vscode.CodeAction(vscode.l10n.t('Rotate this key (it is in git history)'), vscode.CodeActionKind.QuickFix);
        rotate.diagnostics = [diagnostic];
        rotate.command = { title: rotate.title, command: Commands.rotateApiKey };
        actions.push(rotate);
      }
    }
    return actions;
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

/**
 * Whether to offer fixes for this request. VS Code asks for the light bulb with Automatic and no
 * kind filter, and runs an action only when it is clicked; code actions on save (a repository's
 * `editor.codeActionsOnSave`) ask with Automatic and a kind, and apply everything returned. So no
 * fix, not even the ignore marker, is offered to an automatic request with a kind filter.
 */
export function offersKeyFixes(context: vscode.CodeActionContext): boolean {
  if (context.triggerKind === vscode.CodeActionTriggerKind.Automatic && context.only !== undefined) {
    return false;
  }
  return context.only === undefined || context.only.contains(vscode.CodeActionKind.QuickFix);
}

function moveTitle(kind: CredentialKind): string {
  switch (kind) {
    case 'apiKey':
      return vscode.l10n.t('Move key to SecretStorage and read {0}', API_KEY_ENV_VAR);
    case 'adminKey':
      return vscode.l10n.t('Move Admin key to SecretStorage (Admin key) and remove it from the file');
    default:
      return vscode.l10n.t('Remove this {0} from the file (it is never stored)', shapeOf(kind).label);
  }
}
