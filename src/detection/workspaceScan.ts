import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClaudeClient } from '../api/claudeClient';
import { ApiBaseUrlWatcher } from '../api/baseUrlWatcher';
import { checkApiBaseUrl } from '../core/apiBaseUrl';
import type { CredentialKind } from '../core/credentials';
import { detectInFile } from '../core/byteScan';
import type { KeyedFinding } from '../core/detector';
import { isVerifiable, type Liveness, type Verdict } from '../core/liveness';
import { maskKey } from '../core/mask';
import type { Logger } from '../logging/logger';
import { showWithActions, type Interaction } from '../ui/interaction';
import { documentFindings, looksBinary, type HardcodedKeyDiagnostics } from './hardcodedKeyDiagnostics';
import { CHECK_INTERVAL_MS, checkKeyLiveness, verdictCounts } from './liveCheck';

/** Files above this are skipped by the scan (and said so in the summary). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Files read at once; between batches the scan yields so the extension host stays responsive. */
const BATCH = 16;

export interface ScanSummary {
  readonly files: number;
  readonly findings: number;
  readonly filesWithFindings: number;
  readonly storedKeyFindings: number;
  readonly skipped: number;
  readonly cancelled: boolean;
  readonly milliseconds: number;
}

/** What Check Keys Live found: per masked key, the CLI's verdict. */
export interface LiveCheckSummary {
  readonly outcome: 'checked' | 'declined' | 'nothingToCheck';
  readonly verdicts: ReadonlyMap<string, Verdict>;
}

/** The exclude glob: node_modules, .git, and what files.exclude and search.exclude turn on. */
export function excludeGlob(): string {
  const patterns = new Set(['**/node_modules/**', '**/.git/**']);
  for (const section of ['files.exclude', 'search.exclude']) {
    const value = vscode.workspace.getConfiguration().get<Record<string, unknown>>(section) ?? {};
    for (const [pattern, on] of Object.entries(value)) {
      if (on === true) {
        patterns.add(pattern);
      }
    }
  }
  return `{${[...patterns].join(',')}}`;
}

/**
 * `Claude Keys: Scan Workspace for Hard-coded Keys`: every file (dotfiles too) through
 * workspace.fs, so remote workspaces work. Findings land in the Problems panel, closed files too.
 */
export class WorkspaceScan {
  /** API and Admin keys the last scan found, for Check Keys Live; memory only, never shown. */
  private found = new Map<string, CredentialKind>();

  constructor(
    private readonly diagnostics: HardcodedKeyDiagnostics,
    private readonly client: ClaudeClient,
    private readonly ui: Interaction,
    private readonly logger: Logger,
  ) {}

  async run(): Promise<ScanSummary> {
    const started = Date.now();
    const summary = await Promise.resolve(
      this.ui.withProgress(vscode.l10n.t('Claude Keys: scanning for hard-coded keys'), true, (progress, token) => this.scan(progress, token)),
    );
    const result = { ...summary, milliseconds: Date.now() - started };
    this.logger.info(`workspace scan: ${result.files} files, ${result.findings} findings in ${result.filesWithFindings} files, ${result.skipped} skipped, ${result.milliseconds} ms`);
    const message = result.cancelled
      ? vscode.l10n.t('Scan stopped after {0} files: {1} hard-coded keys found so far.', result.files, result.findings)
      : result.findings === 0
        ? vscode.l10n.t('Scanned {0} files: no hard-coded Claude keys.', result.files)
        : vscode.l10n.t(
            'Scanned {0} files: {1} hard-coded Claude keys in {2} files ({3} of them your stored key). See the Problems panel.',
            result.files,
            result.findings,
            result.filesWithFindings,
            result.storedKeyFindings,
          );
    const skipped = result.skipped > 0 ? ' ' + vscode.l10n.t('{0} files were skipped (binary, larger than 64 MB, or a link to outside the workspace).', result.skipped) : '';
    const checkLive = vscode.l10n.t('Check Keys Live');
    const actions = result.findings > 0 ? [{ label: vscode.l10n.t('Show Problems'), command: 'workbench.actions.view.problems' }] : [];
    // Never automatic: the keys are sent only if the user picks the action and then confirms.
    void showWithActions(this.ui, result.findings > 0 ? 'warning' : 'info', message + skipped, this.found.size > 0 ? [...actions, { label: checkLive }] : actions).then((picked) =>
      picked === checkLive ? this.checkFound() : undefined,
    );
    return result;
  }

  /** Checks each distinct API / Admin key of the last scan once, after a modal yes. */
  async checkFound(): Promise<LiveCheckSummary> {
    const keys = [...this.found];
    if (keys.length === 0) {
      return { outcome: 'nothingToCheck', verdicts: new Map() };
    }
    const endpoint = checkApiBaseUrl(ApiBaseUrlWatcher.current());
    const check = vscode.l10n.t('Check Keys');
    const answer = await this.ui.showMessage(
      'warning',
      vscode.l10n.t('Send the {0} keys found in the workspace to {1} to check whether they work?', keys.length, endpoint.ok ? endpoint.host : '?'),
      {
        modal: true,
        detail: vscode.l10n.t('One request per key (API keys: GET /v1/models; Admin keys: GET /v1/organizations/api_keys), no retries, at most 4 a second. Check only keys you are allowed to use.'),
      },
      check,
    );
    if (answer !== check) {
      return { outcome: 'declined', verdicts: new Map() };
    }
    const verdicts = new Map<string, Verdict>();
    await Promise.resolve(
      this.ui.withProgress(vscode.l10n.t('Claude Keys: checking found keys'), true, async (progress, token) => {
        for (const [key, kind] of keys) {
          if (token.isCancellationRequested) {
            break;
          }
          progress.report({ message: maskKey(key) });
          const started = Date.now();
          verdicts.set(maskKey(key), await checkKeyLiveness(this.client, key, kind));
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, CHECK_INTERVAL_MS - (Date.now() - started))));
        }
      }),
    );
    const byState = (state: Liveness): string[] => [...verdicts].filter(([, v]) => v.state === state).map(([masked]) => masked);
    const lines = [verdictCounts(verdicts.values())];
    for (const [state, label] of [
      ['live', vscode.l10n.t('live')],
      ['revoked', vscode.l10n.t('revoked')],
      ['unknown', vscode.l10n.t('unknown')],
    ] as const) {
      const masked = byState(state);
      if (masked.length > 0) {
        lines.push(`${label}: ${masked.join(', ')}`);
      }
    }
    this.logger.info(`workspace scan live check: ${lines.join('; ')}`);
    void this.ui.showMessage(byState('live').length > 0 ? 'warning' : 'info', lines.join(' '), {});
    return { outcome: 'checked', verdicts };
  }

  private async scan(progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken): Promise<Omit<ScanSummary, 'milliseconds'>> {
    this.found = new Map();
    const files = await vscode.workspace.findFiles('**/*', excludeGlob(), undefined, token);
    const roots = await localRoots();
    // Unsaved edits are newer than the disk; anything else is read from disk.
    const open = new Map(vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => [d.uri.toString(), d]));
    let done = 0;
    let findings = 0;
    let filesWithFindings = 0;
    let storedKeyFindings = 0;
    let skipped = 0;
    for (let i = 0; i < files.length && !token.isCancellationRequested; i += BATCH) {
      await Promise.all(
        files.slice(i, i + BATCH).map(async (uri) => {
          const document = open.get(uri.toString());
          const found = document ? findingsInDocument(document) : await this.findingsInFile(uri, roots);
          done++;
          if (found === undefined) {
            skipped++;
            return;
          }
          if (found.length === 0) {
            if (!document) {
              this.diagnostics.collection.delete(uri);
            }
            return;
          }
          for (const f of found) {
            // The key itself (an encoded one decoded): what Check Keys Live sends.
            if (isVerifiable(f.kind)) {
              this.found.set(f.key, f.kind);
            }
          }
          const diagnostics = await this.diagnostics.toDiagnostics(uri, found);
          this.diagnostics.collection.set(uri, diagnostics);
          findings += found.length;
          filesWithFindings++;
          for (const f of found) {
            if ((await this.diagnostics.storedName(f.key)) !== undefined) {
              storedKeyFindings++;
            }
          }
        }),
      );
      progress.report({ message: vscode.l10n.t('{0} of {1} files', done, files.length) });
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    // A Cancel that came after the last file changes nothing: the scan is complete.
    const complete = files.length > 0 && done === files.length;
    return { files: done, findings, filesWithFindings, storedKeyFindings, skipped, cancelled: token.isCancellationRequested && !complete };
  }

  /**
   * A closed file's findings, searched as bytes like the CLI does (most files cost one native search,
   * not a decode); undefined when it is skipped (binary, too big, not a file, outside the workspace).
   */
  private async findingsInFile(uri: vscode.Uri, roots: readonly string[]): Promise<KeyedFinding[] | undefined> {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_FILE_BYTES || (stat.type & vscode.FileType.File) === 0 || !(await isInsideWorkspace(uri, stat, roots))) {
        return undefined;
      }
      if (stat.size === 0) {
        // Empty, or a procfs-like file whose size is unknown until read: never read without a bound.
        return [];
      }
      const bytes = await vscode.workspace.fs.readFile(uri);
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return detectInFile(buffer, buffer.length, true);
    } catch {
      return undefined;
    }
  }
}

/** Real paths of the workspace's local folders: where a scanned file may really be. */
async function localRoots(): Promise<string[]> {
  const roots: string[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme === 'file') {
      roots.push(await fs.promises.realpath(folder.uri.fsPath).catch(() => folder.uri.fsPath));
    }
  }
  return roots;
}

/**
 * A repository is hostile: findFiles follows symlinks (search.followSymlinks), and a link to
 * /proc/self/environ or ~/.config would have the scan report, and a quick fix edit, a file outside
 * the workspace. Local files count only where they really are; elsewhere links cannot be resolved,
 * so they are skipped.
 */
async function isInsideWorkspace(uri: vscode.Uri, stat: vscode.FileStat, roots: readonly string[]): Promise<boolean> {
  if (uri.scheme !== 'file') {
    return (stat.type & vscode.FileType.SymbolicLink) === 0;
  }
  let real: string;
  try {
    real = await fs.promises.realpath(uri.fsPath);
  } catch {
    return false;
  }
  return roots.some((root) => real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
}

/** An open document's unsaved text (newer than the disk), searched as the editor searches it; undefined when binary. */
function findingsInDocument(document: vscode.TextDocument): KeyedFinding[] | undefined {
  const text = document.getText();
  return looksBinary(text) ? undefined : documentFindings(document, text);
}
