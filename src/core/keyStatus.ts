import type { ReminderState } from './rotationReminder';

export type KeySource = 'input' | 'environment' | 'rotation' | 'settings' | 'source';
const KEY_SOURCES: readonly string[] = ['input', 'environment', 'rotation', 'settings', 'source'];

/** What the last live check said. `unchecked` covers "not yet" and "the API could not tell". */
export type ValidationState = 'valid' | 'invalid' | 'unchecked' | 'offline';

export interface ValidationRecord {
  readonly state: ValidationState;
  readonly checkedAt: string;
  readonly modelCount?: number;
  /** ApiProblem kind of the last failed check. */
  readonly problem?: string;
}

/** Facts about a stored key that are safe to show: never the key itself. */
export interface KeyMetadata {
  /** ISO 8601 time the key was stored. */
  readonly setAt: string;
  /** Where it came from. */
  readonly source: KeySource;
  readonly rotatedAt?: string;
  readonly validation?: ValidationRecord;
  readonly reminder?: ReminderState;
}

export type StorageBackend = 'osKeychain' | 'browserStorage';

/** SecretStorage follows the UI, not the extension host: remote windows still use the local keychain. */
export function storageBackendFor(uiKindIsWeb: boolean): StorageBackend {
  return uiKindIsWeb ? 'browserStorage' : 'osKeychain';
}

/** Whole days between two instants, rounded down; never negative. */
export function daysBetween(fromIso: string, now: Date): number {
  const from = Date.parse(fromIso);
  if (Number.isNaN(from)) {
    return 0;
  }
  return Math.max(0, Math.floor((now.getTime() - from) / 86_400_000));
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export function isKeyMetadata(value: unknown): value is KeyMetadata {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const v = value as Record<string, unknown>;
  return typeof v.setAt === 'string' && ISO_INSTANT.test(v.setAt) && !Number.isNaN(Date.parse(v.setAt)) && typeof v.source === 'string' && KEY_SOURCES.includes(v.source);
}
