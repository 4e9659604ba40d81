import type { CredentialKind } from './credentials';

/**
 * The history scan's findings as the tree shows them: one group per key, its commits in the order
 * the scan met them (oldest first), the paths and lines under each commit. Plain data, no vscode.
 */

export interface HistoryHit {
  readonly key: string;
  readonly kind: CredentialKind;
  readonly masked: string;
  readonly commit: string;
  readonly authorDate: string;
  readonly path: string;
  /** 1-based, as the CLI reports them. */
  readonly line: number;
  readonly column: number;
  readonly atHead: boolean;
}

export interface HistoryLocation {
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

export interface HistoryCommit {
  readonly commit: string;
  readonly authorDate: string;
  readonly locations: HistoryLocation[];
}

export interface HistoryKeyGroup {
  /** Held in memory only, for Rotate / Report Leaked Key; never shown, logged or stored. */
  readonly key: string;
  readonly kind: CredentialKind;
  readonly masked: string;
  readonly atHead: boolean;
  readonly commits: HistoryCommit[];
}

/** Groups hits by key, then by commit; linear in the number of hits. */
export function groupHistoryHits(hits: readonly HistoryHit[]): HistoryKeyGroup[] {
  const groups = new Map<string, { group: HistoryKeyGroup; commits: Map<string, HistoryCommit> }>();
  for (const hit of hits) {
    let entry = groups.get(hit.key);
    if (!entry) {
      entry = { group: { key: hit.key, kind: hit.kind, masked: hit.masked, atHead: hit.atHead, commits: [] }, commits: new Map() };
      groups.set(hit.key, entry);
    }
    let commit = entry.commits.get(hit.commit);
    if (!commit) {
      commit = { commit: hit.commit, authorDate: hit.authorDate, locations: [] };
      entry.commits.set(hit.commit, commit);
      entry.group.commits.push(commit);
    }
    commit.locations.push({ path: hit.path, line: hit.line, column: hit.column });
  }
  return [...groups.values()].map((e) => e.group);
}
