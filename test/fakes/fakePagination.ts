import { HttpError } from './fakeErrors';

/** A page of a list endpoint in the API's shape (models, Admin API keys). */
export interface FakePage<U> {
  data: U[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/**
 * The API's cursor pagination over an ordered list: `limit` 1–1000 (default 20), `after_id` or
 * `before_id`. Cursors are positions in the unfiltered list, so a cursor stays valid when the item
 * it names no longer passes the filter (e.g. a key archived between two pages). `pageSize` caps a page
 * below what `limit` asks, as a server may.
 */
export function paginate<T extends { id: string }, U>(items: readonly T[], query: URLSearchParams, keep: (item: T) => boolean, render: (item: T) => U, pageSize?: number): FakePage<U> {
  const rawLimit = query.get('limit');
  const asked = rawLimit === null ? 20 : Number(rawLimit);
  if (!Number.isInteger(asked) || asked < 1 || asked > 1000) {
    throw new HttpError(400, 'limit: Input should be between 1 and 1000');
  }
  const limit = pageSize === undefined ? asked : Math.max(1, Math.min(asked, pageSize));
  const afterId = query.get('after_id');
  const beforeId = query.get('before_id');
  if (afterId !== null && beforeId !== null) {
    throw new HttpError(400, 'Only one of after_id and before_id may be given');
  }
  const cursor = afterId ?? beforeId;
  const at = cursor === null ? -1 : items.findIndex((item) => item.id === cursor);
  if (cursor !== null && at < 0) {
    throw new HttpError(400, `${afterId !== null ? 'after_id' : 'before_id'}: no such id: ${cursor}`);
  }
  let chosen: T[];
  let hasMore: boolean;
  if (beforeId !== null) {
    const before = items.slice(0, at).filter(keep);
    chosen = before.slice(Math.max(0, before.length - limit));
    hasMore = before.length > limit;
  } else {
    const after = items.slice(at + 1).filter(keep);
    chosen = after.slice(0, limit);
    hasMore = after.length > limit;
  }
  return {
    data: chosen.map(render),
    has_more: hasMore,
    first_id: chosen.length > 0 ? chosen[0].id : null,
    last_id: chosen.length > 0 ? chosen[chosen.length - 1].id : null,
  };
}
