import * as assert from 'node:assert/strict';
import { mock } from 'node:test';
import type { ApiAttempt } from '../../src/api/observedFetch';
import { StreamWatch } from '../../src/prompt/streamWatch';
import type { StreamStatus } from '../../src/shared/promptProtocol';

/** Node's own fake clock (setInterval and Date), so the watch is checked without waiting. */
describe('prompt/streamWatch', () => {
  let seen: StreamStatus[];
  let watch: StreamWatch;
  let aborted: boolean;

  beforeEach(() => {
    mock.timers.enable({ apis: ['setInterval', 'Date'], now: 0 });
    seen = [];
    aborted = false;
    watch = new StreamWatch((s) => seen.push(s), 10_000, 2, () => aborted);
  });

  afterEach(() => {
    watch.dispose();
    mock.timers.reset();
  });

  const attempt = (phase: ApiAttempt['phase'], retryCount: number, status?: number, headers: Record<string, string> = {}): ApiAttempt => ({
    phase,
    path: '/v1/messages',
    retryCount,
    keyDigest: undefined,
    ...(status !== undefined ? { status, headers: new Headers(headers) } : {}),
  });

  it('a 429 with retry-after 3: waiting to retry, counted down each second, then streaming again on the next attempt', () => {
    watch.attempt(attempt('sent', 0));
    watch.attempt(attempt('answered', 0, 429, { 'retry-after': '3' }));
    assert.ok(watch.waitingToRetry);
    mock.timers.tick(1000);
    mock.timers.tick(1000);
    watch.attempt(attempt('sent', 1));
    assert.ok(!watch.waitingToRetry);
    assert.deepEqual(seen, [
      { kind: 'retrying', attempt: 2, of: 3, status: 429, seconds: 3 },
      { kind: 'retrying', attempt: 2, of: 3, status: 429, seconds: 2 },
      { kind: 'retrying', attempt: 2, of: 3, status: 429, seconds: 1 },
      { kind: 'streaming' },
    ]);
  });

  it('silence: nothing before the notice time, then "no data for N s" each second, and streaming when data comes', () => {
    mock.timers.tick(9_000);
    assert.deepEqual(seen, []);
    mock.timers.tick(1_000);
    mock.timers.tick(1_000);
    watch.data();
    assert.deepEqual(seen, [{ kind: 'noData', seconds: 10 }, { kind: 'noData', seconds: 11 }, { kind: 'streaming' }]);
  });

  it('says nothing for answers that are not retried, or when the request was aborted', () => {
    watch.attempt(attempt('answered', 0, 200));
    watch.attempt(attempt('answered', 0, 401));
    watch.attempt(attempt('answered', 2, 529));
    aborted = true;
    watch.attempt(attempt('failed', 0));
    assert.deepEqual(seen, []);
    assert.ok(!watch.waitingToRetry);
  });
});
