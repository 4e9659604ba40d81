import * as vscode from 'vscode';
import { git, type GitPlace } from '../cli/gitBlobs';

const COMMIT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * Read-only documents `claude-keys-history:/<path>?root=…&commit=…`: a file as it was in a commit,
 * from `git cat-file blob`. Nothing is written to disk. Only for a commit id of a repository the user
 * scanned in this session, in a trusted workspace, since any link could name such a URI.
 */
export class HistoryContentProvider implements vscode.TextDocumentContentProvider {
  /** Repository roots Scan Git History ran in. */
  readonly scannedRoots = new Set<string>();

  /** `launchDir`: where git starts (never the repository, see GitPlace). */
  constructor(private readonly launchDir: string) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const query = new URLSearchParams(uri.query);
    const root = query.get('root') ?? '';
    const commit = query.get('commit') ?? '';
    const file = uri.path.replace(/^\//, '');
    if (!vscode.workspace.isTrusted || !COMMIT.test(commit) || file === '' || !this.scannedRoots.has(root)) {
      throw new Error(vscode.l10n.t('Claude Keys shows files from git history only in a trusted workspace.'));
    }
    const place: GitPlace = { cwd: root, launchDir: this.launchDir };
    return git(['cat-file', 'blob', '--end-of-options', `${commit}:${file}`], place);
  }
}
