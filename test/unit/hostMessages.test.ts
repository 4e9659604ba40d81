import * as assert from 'node:assert/strict';
import { parseHostMessage } from '../../src/webview-ui/hostMessages';

/** The webview's own check of the host's streamStatus message: shown when well-formed, ignored otherwise. */
describe('webview-ui/hostMessages: streamStatus', () => {
  const message = (status: unknown): unknown => ({ type: 'streamStatus', requestId: 'r1', status });

  it('keeps the three statuses the panel shows', () => {
    assert.deepEqual(parseHostMessage(message({ kind: 'retrying', attempt: 2, of: 3, seconds: 7, status: 429 })), {
      type: 'streamStatus',
      requestId: 'r1',
      status: { kind: 'retrying', attempt: 2, of: 3, seconds: 7, status: 429 },
    });
    assert.deepEqual(parseHostMessage(message({ kind: 'retrying', attempt: 2, of: 3, seconds: 1 })), {
      type: 'streamStatus',
      requestId: 'r1',
      status: { kind: 'retrying', attempt: 2, of: 3, seconds: 1 },
    });
    assert.deepEqual(parseHostMessage(message({ kind: 'noData', seconds: 20 })), { type: 'streamStatus', requestId: 'r1', status: { kind: 'noData', seconds: 20 } });
    assert.deepEqual(parseHostMessage(message({ kind: 'streaming', extra: '<img>' })), { type: 'streamStatus', requestId: 'r1', status: { kind: 'streaming' } });
  });

  it('drops malformed ones: unknown kind, wrong or missing numbers, attempt past the last, no request id', () => {
    for (const bad of [
      message({ kind: 'exploding' }),
      message({ kind: 'retrying', attempt: '2', of: 3, seconds: 7 }),
      message({ kind: 'retrying', attempt: 4, of: 3, seconds: 7 }),
      message({ kind: 'retrying', attempt: 2, of: 3, seconds: -1 }),
      message({ kind: 'noData', seconds: 1.5 }),
      message({ kind: 'noData', seconds: Infinity }),
      message(null),
      { type: 'streamStatus', status: { kind: 'streaming' } },
    ]) {
      assert.equal(parseHostMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
