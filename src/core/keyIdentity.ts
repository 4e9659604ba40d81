import { matchesPartialKeyHint } from './partialKeyHint';

/**
 * Which of the organisation's keys a found key is: the Admin API lists keys only with a
 * partial_key_hint, and a key matches the hint's head and tail. Plain data, shared by the editor's
 * hover and the CLI's --identify.
 */

/** The fields of an Admin API key object this needs (the SDK's APIKey has them). */
export interface OrganisationKey {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly partial_key_hint: string | null;
  readonly created_at: string;
  readonly created_by?: { readonly id: string; readonly type: string } | null;
  readonly workspace_id?: string | null;
  readonly scope?: { readonly type: string; readonly workspace_id?: string } | null;
}

export interface KeyIdentity {
  readonly id: string;
  readonly name: string;
  /** The workspace id, or "default" when the key has none. */
  readonly workspace: string;
  readonly status: string;
  /** "user_…" (type user) or "service_account …", or null when not recorded. */
  readonly createdBy: string | null;
  readonly createdAt: string;
}

export function identityOf(record: OrganisationKey): KeyIdentity {
  const workspace = record.workspace_id ?? record.scope?.workspace_id ?? 'default';
  return {
    id: record.id,
    name: record.name,
    workspace,
    status: record.status,
    createdBy: record.created_by ? (record.created_by.type === 'user' ? record.created_by.id : `${record.created_by.type} ${record.created_by.id}`) : null,
    createdAt: record.created_at,
  };
}

/** The organisation's key this one is, if any hint matches (one lookup; many go through OrganisationKeyIndex). */
export function identify(key: string, keys: readonly OrganisationKey[]): KeyIdentity | undefined {
  const record = keys.find((k) => matchesPartialKeyHint(key, k.partial_key_hint));
  return record && identityOf(record);
}

/**
 * The organisation's keys by hint, so naming many found keys against thousands of organisation keys
 * is linear (built once, then a few map lookups per key) instead of keys × records. Gives what
 * identify() gives: the first record in list order whose hint matches.
 */
export class OrganisationKeyIndex {
  /** Hint shape "head length,tail length" → head + tail → the first record with that hint. Real hints have one shape. */
  private readonly shapes = new Map<string, { head: number; tail: number; records: Map<string, { at: number; record: OrganisationKey }> }>();
  /** Map lookups made by identify(), for tests that check the work per key stays constant. */
  probes = 0;

  constructor(keys: readonly OrganisationKey[]) {
    keys.forEach((record, at) => {
      const parts = record.partial_key_hint?.split('...');
      if (!parts || parts.length !== 2 || parts[0].length === 0 || parts[1].length === 0) {
        return;
      }
      const [head, tail] = parts;
      const shapeId = `${head.length},${tail.length}`;
      let shape = this.shapes.get(shapeId);
      if (!shape) {
        shape = { head: head.length, tail: tail.length, records: new Map() };
        this.shapes.set(shapeId, shape);
      }
      // Lengths are fixed per shape, so head + tail is unambiguous.
      if (!shape.records.has(head + tail)) {
        shape.records.set(head + tail, { at, record });
      }
    });
  }

  identify(key: string): KeyIdentity | undefined {
    let best: { at: number; record: OrganisationKey } | undefined;
    for (const shape of this.shapes.values()) {
      if (key.length <= shape.head + shape.tail) {
        continue;
      }
      this.probes++;
      const hit = shape.records.get(key.slice(0, shape.head) + key.slice(key.length - shape.tail));
      if (hit && (!best || hit.at < best.at)) {
        best = hit;
      }
    }
    return best && identityOf(best.record);
  }
}
