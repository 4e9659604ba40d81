import type { ClaudeClient } from '../api/claudeClient';
import type { ApiProblem } from '../core/apiProblems';
import { OrganisationKeyIndex, type KeyIdentity } from '../core/keyIdentity';
import type { KeyStore } from '../keys/keyStore';

/** The organisation's key list is read at most this often (the hover asks on every hover). */
export const IDENTITY_CACHE_MS = 3 * 60 * 1000;

export type IdentityAnswer =
  | { readonly kind: 'noAdminKey' }
  | { readonly kind: 'found'; readonly identity: KeyIdentity }
  | { readonly kind: 'notInOrganisation' }
  | { readonly kind: 'failed'; readonly problem: ApiProblem };

/**
 * Matches found keys to the organisation's keys with the stored Admin key: one listing (all pages)
 * cached for a few minutes, dropped when the Admin key changes or a key's status is changed here.
 * The found key itself is never sent: only compared with the hints locally.
 */
export class KeyIdentities {
  private cache: { adminKey: string; at: number; keys: Promise<OrganisationKeyIndex | ApiProblem> } | undefined;

  constructor(
    private readonly store: KeyStore,
    private readonly client: ClaudeClient,
    private readonly now: () => number = Date.now,
  ) {}

  async lookup(key: string): Promise<IdentityAnswer> {
    const adminKey = await this.store.getAdminKey().catch(() => undefined);
    if (adminKey === undefined) {
      return { kind: 'noAdminKey' };
    }
    const keys = await this.list(adminKey);
    if (!(keys instanceof OrganisationKeyIndex)) {
      return { kind: 'failed', problem: keys };
    }
    const identity = keys.identify(key);
    return identity ? { kind: 'found', identity } : { kind: 'notInOrganisation' };
  }

  forget(): void {
    this.cache = undefined;
  }

  private list(adminKey: string): Promise<OrganisationKeyIndex | ApiProblem> {
    const fresh = this.cache && this.cache.adminKey === adminKey && this.now() - this.cache.at < IDENTITY_CACHE_MS;
    if (!fresh) {
      // Indexed once per listing: every hover and the workspace's findings then cost a lookup each.
      const keys = this.client.listApiKeys(adminKey).then((r) => (r.ok ? new OrganisationKeyIndex(r.value) : r.problem));
      this.cache = { adminKey, at: this.now(), keys };
      // A failure is not cached: the next hover asks again.
      void keys.then((k) => {
        if (!(k instanceof OrganisationKeyIndex) && this.cache?.keys === keys) {
          this.cache = undefined;
        }
      });
    }
    return (this.cache as NonNullable<typeof this.cache>).keys;
  }
}
