import * as vscode from 'vscode';

/** The line break the document already uses, for inserted lines. */
export function eol(document: vscode.TextDocument): string {
  return document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
}

/**
 * Whether a fix may edit the document: untitled documents, notebook cells and files of a writable
 * file system. A document from a content provider (a file as it was in a git commit, opened from the
 * Git History view) or a read-only file system is only shown: fixes that edit text are not offered.
 */
export function isEditable(document: vscode.TextDocument): boolean {
  const scheme = document.uri.scheme;
  return scheme === 'untitled' || scheme === 'vscode-notebook-cell' || vscode.workspace.fs.isWritableFileSystem(scheme) === true;
}
