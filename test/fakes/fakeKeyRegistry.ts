import { DEFAULT_MESSAGES, HttpError } from './fakeErrors';
import { paginate } from './fakePagination';
import { randomId, type Reply } from './fakeWire';

/**
 * The keys the fake knows and how it authenticates them (401 unknown or revoked, 403 without rights,
 * an Admin key for the Admin API), plus the Admin API's key endpoints: GET /v1/organizations/api_keys
 * (filters, cursor pages) and GET/POST /v1/organizations/api_keys/{id} (rename, change status).
 */

export type KeyStatus = 'active' | 'inactive' | 'archived' | 'expired';

export interface FakeKeyRecord {
  readonly id: string;
  name: string;
  status: KeyStatus;
  readonly workspaceId: string | null;
  readonly createdAt: string;
  readonly partialKeyHint: string;
  permission: 'full' | 'none';
}

export interface AddApiKeyOptions {
  name?: string;
  status?: KeyStatus;
  permission?: 'full' | 'none';
  workspaceId?: string | null;
}

interface AdminKey {
  permission: 'full' | 'none';
  revoked: boolean;
}

// Prefixes are joined at run time so no key-shaped literal is committed.
const API_PREFIX = ['sk', 'ant', 'api03', ''].join('-');
const ADMIN_PREFIX = ['sk', 'ant', 'admin01', ''].join('-');
/** Well-formed keys (93 body characters and `AA`), checked here so the fake does not lean on the extension's own detector. */
const WELL_FORMED_API_KEY = new RegExp(`^${API_PREFIX}[A-Za-z0-9_-]{93}AA$`);
const WELL_FORMED_ADMIN_KEY = new RegExp(`^${ADMIN_PREFIX}[A-Za-z0-9_-]{93}AA$`);
const UPDATABLE_STATUSES: readonly string[] = ['active', 'inactive', 'archived'];
const LISTABLE_STATUSES: readonly string[] = ['active', 'inactive', 'archived', 'expired'];

/** The Console's hint: prefix, first 3 body characters, `...`, last 4 characters. */
export function partialKeyHint(key: string): string {
  const body = key.startsWith(API_PREFIX) ? key.slice(API_PREFIX.length) : key;
  return `${API_PREFIX}${body.slice(0, 3)}...${key.slice(-4)}`;
}

export class FakeKeyRegistry {
  private readonly apiKeys = new Map<string, FakeKeyRecord>();
  private readonly adminKeys = new Map<string, AdminKey>();
  /** The user every key was created by (the Admin API names one). */
  private readonly creatorId = `user_01${randomId(22)}`;

  /** Registers an API key (active, full permission by default); adding a known key updates it. The record is live. */
  addApiKey(key: string, options: AddApiKeyOptions = {}): FakeKeyRecord {
    const existing = this.apiKeys.get(key);
    if (existing) {
      existing.name = options.name ?? existing.name;
      existing.status = options.status ?? existing.status;
      existing.permission = options.permission ?? existing.permission;
      return existing;
    }
    const record: FakeKeyRecord = {
      id: `apikey_01${randomId(22)}`,
      name: options.name ?? `Key ${this.apiKeys.size + 1}`,
      status: options.status ?? 'active',
      workspaceId: options.workspaceId ?? null,
      createdAt: new Date().toISOString(),
      partialKeyHint: partialKeyHint(key),
      permission: options.permission ?? 'full',
    };
    this.apiKeys.set(key, record);
    return record;
  }

  addAdminKey(key: string, options: { permission?: 'full' | 'none' } = {}): void {
    this.adminKeys.set(key, { permission: options.permission ?? 'full', revoked: false });
  }

  /** From now on the key gets 401; an API key's record turns 'inactive' as the Console shows it. */
  revokeKey(key: string): void {
    const record = this.apiKeys.get(key);
    const admin = this.adminKeys.get(key);
    if (!record && !admin) {
      throw new Error('revokeKey: the fake does not know this key');
    }
    if (record) {
      record.status = 'inactive';
    }
    if (admin) {
      admin.revoked = true;
    }
  }

  /** The API keys as the Admin API lists them (newest first); the objects are live. */
  keyRecords(): FakeKeyRecord[] {
    return [...this.apiKeys.values()].reverse();
  }

  clear(): void {
    this.apiKeys.clear();
    this.adminKeys.clear();
  }

  /** The demo backend's rule: an unknown well-formed key is registered (API key active, admin key admin). */
  autoRegister(key: string): void {
    if (this.apiKeys.has(key) || this.adminKeys.has(key)) {
      return;
    }
    if (WELL_FORMED_API_KEY.test(key)) {
      this.addApiKey(key);
    } else if (WELL_FORMED_ADMIN_KEY.test(key)) {
      this.addAdminKey(key);
    }
  }

  authenticateApiKey(key: string): void {
    const record = this.apiKeys.get(key);
    if (!record || record.status !== 'active') {
      throw new HttpError(401, DEFAULT_MESSAGES.authentication_error);
    }
    if (record.permission === 'none') {
      throw new HttpError(403, DEFAULT_MESSAGES.permission_error);
    }
  }

  authenticateAdmin(key: string): void {
    const admin = this.adminKeys.get(key);
    if (!admin) {
      const message = this.apiKeys.has(key)
        ? 'invalid x-api-key: this endpoint requires an Admin API key, not a regular API key'
        : DEFAULT_MESSAGES.authentication_error;
      throw new HttpError(401, message);
    }
    if (admin.revoked) {
      throw new HttpError(401, DEFAULT_MESSAGES.authentication_error);
    }
    if (admin.permission === 'none') {
      throw new HttpError(403, DEFAULT_MESSAGES.permission_error);
    }
  }

  /** The Admin API's key endpoints; `pageSize` caps a list page below what `limit` asks. */
  adminKeysReply(method: string, path: string, query: URLSearchParams, body: string, pageSize: number | undefined): Reply {
    const ordered = this.keyRecords();
    if (path === '/v1/organizations/api_keys') {
      if (method !== 'GET') {
        // There is no create endpoint: keys are made in the Console.
        throw new HttpError(404, DEFAULT_MESSAGES.not_found_error);
      }
      const status = query.get('status');
      if (status !== null && !LISTABLE_STATUSES.includes(status)) {
        throw new HttpError(400, `status: Input should be 'active', 'inactive', 'archived' or 'expired'`);
      }
      const workspaceId = query.get('workspace_id');
      const createdBy = query.get('created_by_user_id');
      const keep = (r: FakeKeyRecord): boolean =>
        (status === null || r.status === status) && (workspaceId === null || r.workspaceId === workspaceId) && (createdBy === null || createdBy === this.creatorId);
      return { status: 200, body: paginate(ordered, query, keep, (r) => this.apiKeyObject(r), pageSize) };
    }
    const id = decodeURIComponent(path.slice('/v1/organizations/api_keys/'.length));
    const record = ordered.find((r) => r.id === id);
    if (method === 'GET' || method === 'POST') {
      if (!record) {
        throw new HttpError(404, `API key not found: ${id}`);
      }
      if (method === 'POST') {
        applyUpdate(record, body);
      }
      return { status: 200, body: this.apiKeyObject(record) };
    }
    // No delete either.
    throw new HttpError(404, DEFAULT_MESSAGES.not_found_error);
  }

  private apiKeyObject(r: FakeKeyRecord): Record<string, unknown> {
    return {
      id: r.id,
      type: 'api_key',
      name: r.name,
      status: r.status,
      created_at: r.createdAt,
      created_by: { id: this.creatorId, type: 'user' },
      partial_key_hint: r.partialKeyHint,
      // The documented flat field and the SDK's newer typed shape (principal + scope), both.
      workspace_id: r.workspaceId,
      principal: { type: 'user_actor', user_id: this.creatorId },
      scope: r.workspaceId ? { type: 'workspace', workspace_id: r.workspaceId } : { type: 'organization' },
      expires_at: null,
    };
  }
}

/** POST /v1/organizations/api_keys/{id}: `name` and `status` only, all validated before anything changes. */
function applyUpdate(record: FakeKeyRecord, body: string): void {
  let update: unknown;
  try {
    update = body ? JSON.parse(body) : {};
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON.');
  }
  if (typeof update !== 'object' || update === null || Array.isArray(update)) {
    throw new HttpError(400, 'Request body must be a JSON object.');
  }
  const { name, status, ...extra } = update as Record<string, unknown>;
  const unknownField = Object.keys(extra)[0];
  if (unknownField !== undefined) {
    throw new HttpError(400, `${unknownField}: Extra inputs are not permitted`);
  }
  if (name !== undefined && name !== null && (typeof name !== 'string' || name.length === 0 || name.length > 500)) {
    throw new HttpError(400, 'name: String should have between 1 and 500 characters');
  }
  if (status !== undefined && status !== null && (typeof status !== 'string' || !UPDATABLE_STATUSES.includes(status))) {
    throw new HttpError(400, `status: Input should be 'active', 'inactive' or 'archived'`);
  }
  // Validate everything before changing anything.
  if (typeof name === 'string') {
    record.name = name;
  }
  if (typeof status === 'string') {
    record.status = status as KeyStatus;
  }
}
