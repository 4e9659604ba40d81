import type * as ChildProcess from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SAFE_GIT_OPTIONS, safeGitEnv } from '../core/safeGit';

/** Loaded on the first git question: activation does not pay for Node's child_process module. */
function childProcess(): typeof ChildProcess {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import loads it at activation
  return require('node:child_process') as typeof ChildProcess;
}

/** Where git may run for this file: a local file inside a folder of a trusted workspace. */
export function mayRunGitFor(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && vscode.workspace.isTrusted && vscode.workspace.getWorkspaceFolder(uri) !== undefined;
}

/**
 * Answers git questions about local files with the git CLI, and only in a trusted workspace for
 * files inside it; unknown (undefined) anywhere else, so the callers work without git.
 */
export class GitStatus {
  private readonly tracked = new Map<string, Promise<boolean | undefined>>();

  /** `safeCwd`: where git starts (never the repository: on Windows a `git.exe` there would run). */
  constructor(private readonly safeCwd: string) {}

  /** Whether git tracks the file: a key in it is in history, so it has leaked. */
  isTracked(uri: vscode.Uri): Promise<boolean | undefined> {
    if (!mayRunGitFor(uri)) {
      return Promise.resolve(undefined);
    }
    let answer = this.tracked.get(uri.fsPath);
    if (!answer) {
      answer = this.git(uri, ['ls-files', '--error-unmatch', '--', path.basename(uri.fsPath)]).then((r) => (r === undefined ? undefined : r.code === 0));
      this.tracked.set(uri.fsPath, answer);
    }
    return answer;
  }

  /** Whether git ignores the file (so a .env in it will not be committed). */
  async isIgnored(uri: vscode.Uri): Promise<boolean | undefined> {
    if (!mayRunGitFor(uri)) {
      return undefined;
    }
    const r = await this.git(uri, ['check-ignore', '-q', '--', path.basename(uri.fsPath)]);
    // 0 ignored, 1 not ignored, 128 not a repository.
    return r === undefined || r.code > 1 ? undefined : r.code === 0;
  }

  /** The repository's top folder, if the file is in one. */
  async repositoryRoot(uri: vscode.Uri): Promise<string | undefined> {
    if (!mayRunGitFor(uri)) {
      return undefined;
    }
    const r = await this.git(uri, ['rev-parse', '--show-toplevel']);
    return r?.code === 0 ? r.stdout.trim() : undefined;
  }

  forget(uri: vscode.Uri): void {
    this.tracked.delete(uri.fsPath);
  }

  private git(uri: vscode.Uri, args: string[]): Promise<{ code: number; stdout: string } | undefined> {
    const dir = path.dirname(uri.fsPath);
    const env = safeGitEnv(process.env);
    return new Promise((resolve) => {
      childProcess().execFile('git', [...SAFE_GIT_OPTIONS, '-C', dir, ...args], { cwd: this.safeCwd, env, timeout: 5000, windowsHide: true }, (error, stdout) => {
        if (error && typeof error.code !== 'number') {
          resolve(undefined); // git missing or not runnable
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout });
      });
    });
  }
}
