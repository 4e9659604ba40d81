import * as vscode from 'vscode';

/** The line break the document already uses, for inserted lines. */
export function eol(document: vscode.TextDocument): string {
  return document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
}
