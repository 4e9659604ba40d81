import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type * as vscode from 'vscode';

/** Answers git questions about local files with the git CLI; unknown (undefined) anywhere else. */
export class GitStatus {
  private readonly tracked = new Map<string, Promise<boolean | undefined>>();

  /** Whether git tracks the file: a key in it is in history, so it has leaked. */
  isTracked(uri: vscode.Uri): Promise<boolean | undefined> {
    if (uri.scheme !== 'file') {
      return Promise.resolve(undefined);
    }
    let answer = this.tracked.get(uri.fsPath);
    if (!answer) {
      answer = git(path.dirname(uri.fsPath), ['ls-files', '--error-unmatch', '--', path.basename(uri.fsPath)]).then((r) => (r === undefined ? undefined : r.code === 0));
      this.tracked.set(uri.fsPath, answer);
    }
    return answer;
  }

  /** Whether git ignores the file (so a .env in it will not be committed). */
  async isIgnored(uri: vscode.Uri): Promise<boolean | undefined> {
    if (uri.scheme !== 'file') {
      return undefined;
    }
    const r = await git(path.dirname(uri.fsPath), ['check-ignore', '-q', '--', path.basename(uri.fsPath)]);
    // 0 ignored, 1 not ignored, 128 not a repository.
    return r === undefined || r.code > 1 ? undefined : r.code === 0;
  }

  /** The repository's top folder, if the file is in one. */
  async repositoryRoot(uri: vscode.Uri): Promise<string | undefined> {
    if (uri.scheme !== 'file') {
      return undefined;
    }
    const r = await git(path.dirname(uri.fsPath), ['rev-parse', '--show-toplevel']);
    return r?.code === 0 ? r.stdout.trim() : undefined;
  }

  forget(uri: vscode.Uri): void {
    this.tracked.delete(uri.fsPath);
  }
}

function git(cwd: string, args: string[]): Promise<{ code: number; stdout: string } | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 5000, windowsHide: true }, (error, stdout) => {
      if (error && typeof error.code !== 'number') {
        resolve(undefined); // git missing or not runnable
        return;
      }
      resolve({ code: error ? Number(error.code) : 0, stdout });
    });
  });
}
