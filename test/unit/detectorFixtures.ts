import type { CredentialKind } from '../../src/core/credentials';
import { realisticKey } from '../fakes/corpus';

/** `sk-ant-<name>-`, assembled at run time so no key-shaped literal is ever written down. */
export const prefix = (name: string): string => ['sk', 'ant', name, ''].join('-');
export const API = prefix('api03');
export const ADMIN = prefix('admin01');
export const OAT = prefix('oat01');
export const ORT = prefix('ort01');
export const SID = prefix('sid01');
export const PREFIX_OF: Record<CredentialKind, string> = { apiKey: API, adminKey: ADMIN, oauthAccessToken: OAT, oauthRefreshToken: ORT, sessionKey: SID };
export const ALL_KINDS = Object.keys(PREFIX_OF) as CredentialKind[];
/** Generated keys whose bodies do not look fake (see realisticKey). */
export const gen = Object.fromEntries(ALL_KINDS.map((kind) => [kind, () => realisticKey(kind)])) as Record<CredentialKind, () => string>;
