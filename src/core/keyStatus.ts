import type { ReminderState } from './rotationReminder';

export type KeySource = 'input' | 'environment' | 'rotation' | 'settings' | 'source';
const KEY_SOURCES: readonly string[] = ['input', 'environment', 'rotation', 'settings', 'source'];

/**
 * What the key's last telling call said. `unchecked` covers "not yet" and "the API could not tell";
 * `noAccess` is a 403: the key authenticated, but may not use what it asked for.
 */
export type ValidationState = 'valid' | 'noAccess' | 'invalid' | 'unchecked' | 'offline';

/** Which part of the API a call used: what a 403 had no access to. */
export type ApiArea = 'models' | 'messages' | 'countTokens' | 'admin' | 'other';

export interface ValidationRecord {
  readonly state: ValidationState;
  readonly checkedAt: string;
  readonly modelCount?: number;
  /** ApiProblem kind of the last failed check. */
  readonly problem?: string;
  /** With `noAccess`: what the 403 refused. */
  readonly noAccessTo?: ApiArea;
}

/** The outcome of one API call made with a key: a success, or the ApiProblem kind it failed with. */
export type KeyCallOutcome = { readonly ok: true; readonly modelCount?: number } | { readonly ok: false; readonly problem: string; readonly area: ApiArea };

/**
 * What a call's outcome says about the key that made it. Any success proves it; a 401 disproves it; a
 * 403 proves it but names what it may not use; no connection leaves it unknown (offline). Everything
 * else (429, 529, 5xx, spend limits, bad requests, Stop) says nothing about the key: undefined, keep
 * the record as it is.
 */
export function validationAfter(previous: ValidationRecord | undefined, outcome: KeyCallOutcome, now: Date): ValidationRecord | undefined {
  const checkedAt = now.toISOString();
  if (outcome.ok) {
    const modelCount = outcome.modelCount ?? (previous?.state === 'valid' ? previous.modelCount : undefined);
    return { state: 'valid', checkedAt, ...(modelCount !== undefined ? { modelCount } : {}) };
  }
  switch (outcome.problem) {
    case 'invalidKey':
      return { state: 'invalid', checkedAt, problem: outcome.problem };
    case 'permission':
      return { state: 'noAccess', checkedAt, problem: outcome.problem, noAccessTo: outcome.area };
    case 'network':
    case 'timeout':
      return { state: 'offline', checkedAt, problem: outcome.problem };
    default:
      return undefined;
  }
}

/** Whether two records tell the user the same thing (the time of the check aside). */
export function sameValidation(a: ValidationRecord | undefined, b: ValidationRecord | undefined): boolean {
  return a?.state === b?.state && a?.problem === b?.problem && a?.noAccessTo === b?.noAccessTo && a?.modelCount === b?.modelCount;
}

/** The area of the API a request path belongs to. */
export function apiAreaOf(path: string): ApiArea {
  if (/\/v1\/models(\/|$)/.test(path)) {
    return 'models';
  }
  if (/\/v1\/messages\/count_tokens$/.test(path)) {
    return 'countTokens';
  }
  if (/\/v1\/messages(\/|$)/.test(path)) {
    return 'messages';
  }
  return /\/v1\/organizations(\/|$)/.test(path) ? 'admin' : 'other';
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
