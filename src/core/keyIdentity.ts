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

/** The organisation's key this one is, if any hint matches. */
export function identify(key: string, keys: readonly OrganisationKey[]): KeyIdentity | undefined {
  const record = keys.find((k) => matchesPartialKeyHint(key, k.partial_key_hint));
  return record && identityOf(record);
}
