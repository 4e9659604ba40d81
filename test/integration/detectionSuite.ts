import * as vscode from 'vscode';
import { hostSuite, type Host } from './hostSuite';

/**
 * What the detection suites (detection*.test.ts) share: hostSuite with a `detection-scratch` folder
 * and editors closed after each test, and a user who says yes to the fixes' modal questions.
 * Returns a writer of files under the scratch folder.
 */
export function detectionSuite(take: (host: Host) => void): (relative: string, text: string | Uint8Array) => Promise<vscode.Uri> {
  let host: Host;
  hostSuite(
    (h) => {
      host = h;
      take(h);
    },
    { scratch: 'detection-scratch', closeEditorsAfterEach: true },
  );

  beforeEach(() => {
    // The fixes ask first (a modal naming the key and file): the user says yes.
    host.user.answerMessage = (m) => (m.options.modal ? m.actions[0] : undefined);
  });

  return async (relative, text) => {
    const uri = vscode.Uri.joinPath(host.scratch, relative);
    await vscode.workspace.fs.writeFile(uri, typeof text === 'string' ? new TextEncoder().encode(text) : text);
    return uri;
  };
}
