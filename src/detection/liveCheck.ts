import * as vscode from 'vscode';
import type { ClaudeClient } from '../api/claudeClient';
import type { CredentialKind } from '../core/credentials';
import { isVerifiable, livenessOf, livenessOfProblem, type Liveness, type Verdict } from '../core/liveness';

/**
 * The editor's live checks say what the CLI's --verify says: live, revoked, or unknown with why.
 * One request per key (API keys GET /v1/models, Admin keys GET /v1/organizations/api_keys?limit=1),
 * no retries; only after the user asked.
 */
export async function checkKeyLiveness(client: ClaudeClient, key: string, kind: CredentialKind = 'apiKey'): Promise<Verdict> {
  if (!isVerifiable(kind)) {
    return { state: 'unknown', detail: 'not checked: only API and Admin API keys have a check' };
  }
  const result = kind === 'adminKey' ? await client.probeAdminKey(key) : await client.validateKey(key);
  return result.ok ? livenessOf(200) : livenessOfProblem(result.problem);
}

/** As the CLI's --verify: never two checks closer than this. */
export const CHECK_INTERVAL_MS = 250;

/** "sk-ant-api03-…wxyz: live", "…: revoked (HTTP 401)", "…: unknown: HTTP 500", then what to do. */
export function verdictMessage(masked: string, verdict: Verdict): string {
  switch (verdict.state) {
    case 'live':
      return vscode.l10n.t('{0}: live. Anyone who can read this file can use it: move it out of the file and rotate it now.', masked);
    case 'revoked':
      return vscode.l10n.t('{0}: revoked ({1}). The API rejects it; remove it from the file anyway.', masked, verdict.detail);
    case 'unknown':
      return vscode.l10n.t('{0}: unknown: {1}. Could not tell whether the key works; treat it as live.', masked, verdict.detail);
  }
}

/** "keys checked: 2 live, 1 revoked, 0 unknown", as the CLI's summary says it. */
export function verdictCounts(verdicts: Iterable<Verdict>): string {
  const counts: Record<Liveness, number> = { live: 0, revoked: 0, unknown: 0 };
  for (const v of verdicts) {
    counts[v.state]++;
  }
  return vscode.l10n.t('Keys checked: {0} live, {1} revoked, {2} unknown.', counts.live, counts.revoked, counts.unknown);
}
