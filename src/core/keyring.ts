/**
 * The user's API keys by name, one of them active. Stored as one JSON secret so every change is a
 * single SecretStorage write: atomic, and seen by every window through one onDidChange.
 */
export interface Keyring {
  readonly active: string | undefined;
  readonly keys: Readonly<Record<string, string>>;
}

export const DEFAULT_KEY_NAME = 'default';
export const EMPTY_KEYRING: Keyring = { active: undefined, keys: {} };

const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,31}$/;

/** Why a key name is refused, or undefined when it is fine. */
export function checkKeyName(name: string, existing: readonly string[] = []): 'empty' | 'invalid' | 'taken' | undefined {
  const trimmed = name.trim();
  if (trimmed === '') {
    return 'empty';
  }
  if (!NAME.test(trimmed)) {
    return 'invalid';
  }
  return existing.some((n) => n.toLowerCase() === trimmed.toLowerCase()) ? 'taken' : undefined;
}

export function parseKeyring(stored: string | undefined): Keyring {
  if (!stored) {
    return EMPTY_KEYRING;
  }
  const value: unknown = JSON.parse(stored);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('keyring is not an object');
  }
  const v = value as { active?: unknown; keys?: unknown };
  const keys: Record<string, string> = {};
  if (typeof v.keys === 'object' && v.keys !== null && !Array.isArray(v.keys)) {
    for (const [name, key] of Object.entries(v.keys)) {
      if (typeof key === 'string' && key !== '') {
        keys[name] = key;
      }
    }
  }
  // null: no key active on purpose (a leaked key was removed and its replacement is not set yet).
  const active = v.active === null ? undefined : typeof v.active === 'string' && Object.hasOwn(keys, v.active) ? v.active : firstName(keys);
  return { active, keys };
}

export function serializeKeyring(keyring: Keyring): string {
  // With keys but none active, null keeps parseKeyring from making the first one active.
  const active = keyring.active === undefined && Object.keys(keyring.keys).length > 0 ? null : keyring.active;
  return JSON.stringify({ version: 1, active, keys: keyring.keys });
}

export function activeKey(keyring: Keyring): string | undefined {
  return activeEntry(keyring)?.key;
}

/** The active key with its name, or undefined when none is active. */
export function activeEntry(keyring: Keyring): { readonly name: string; readonly key: string } | undefined {
  const name = keyring.active;
  return name !== undefined && Object.hasOwn(keyring.keys, name) ? { name, key: keyring.keys[name] } : undefined;
}

export function keyNames(keyring: Keyring): string[] {
  return Object.keys(keyring.keys).sort((a, b) => a.localeCompare(b));
}

/** Stores `key` under `name`; the first key stored becomes active. */
export function withKey(keyring: Keyring, name: string, key: string, makeActive = false): Keyring {
  const keys = { ...keyring.keys, [name]: key };
  return { active: makeActive || keyring.active === undefined ? name : keyring.active, keys };
}

/**
 * Removes `name`; if it was active, the first remaining key (by name) becomes active, or none when
 * `activateAnother` is false.
 */
export function withoutKey(keyring: Keyring, name: string, activateAnother = true): Keyring {
  const keys = { ...keyring.keys };
  delete keys[name];
  return { active: keyring.active === name ? (activateAnother ? firstName(keys) : undefined) : keyring.active, keys };
}

/** `base`, or `base-2`, `base-3`… : the first name no key has yet. */
export function unusedName(keyring: Keyring, base: string): string {
  const names = Object.keys(keyring.keys);
  let name = base;
  for (let i = 2; checkKeyName(name, names) !== undefined; i++) {
    name = `${base.slice(0, 28)}-${i}`;
  }
  return name;
}

export function withActive(keyring: Keyring, name: string): Keyring {
  // Own properties only: "constructor" or "toString" are not keys.
  if (!Object.hasOwn(keyring.keys, name)) {
    throw new Error(`no key named ${name}`);
  }
  return { ...keyring, active: name };
}

function firstName(keys: Record<string, string>): string | undefined {
  return Object.keys(keys).sort((a, b) => a.localeCompare(b))[0];
}
