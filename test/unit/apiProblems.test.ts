import * as assert from 'node:assert/strict';
import { classifyApiFailure, nextMonthStartUtc, parseSpendLimitMessage, retryAfterSeconds, type ApiFailureFacts } from '../../src/core/apiProblems';

const NOW = new Date('2024-06-15T12:00:00.000Z');

/** A header lookup over a plain record (names are looked up as given, lower case). */
function headers(values: Record<string, string> = {}): (name: string) => string | undefined {
  return (name) => values[name];
}

/** HTTP failure facts with sensible defaults. */
function http(status: number, extra: Partial<Omit<Extract<ApiFailureFacts, { kind: 'http' }>, 'kind' | 'status'>> = {}): ApiFailureFacts {
  return { kind: 'http', status, header: headers(), ...extra };
}

function connection(code: string | undefined, timeout = false): ApiFailureFacts {
  return code === undefined ? { kind: 'connection', timeout, host: 'api.example.test' } : { kind: 'connection', timeout, code, host: 'api.example.test' };
}

describe('core/apiProblems', () => {
  describe('classifyApiFailure: HTTP status', () => {
    it('401 is an invalid key', () => {
      assert.deepEqual(classifyApiFailure(http(401), NOW), { kind: 'invalidKey', requestId: undefined });
    });

    it('401 with "invalid x-api-key" is still an invalid key', () => {
      assert.deepEqual(classifyApiFailure(http(401, { errorType: 'authentication_error', message: 'invalid x-api-key' }), NOW), {
        kind: 'invalidKey',
        requestId: undefined,
      });
    });

    it('401 whose message starts "CORS requests are not allowed" is the browser context', () => {
      const message = 'CORS requests are not allowed for this Organization because of the anthropic-dangerous-direct-browser-access header.';
      assert.deepEqual(classifyApiFailure(http(401, { message, requestId: 'req_1' }), NOW), { kind: 'browserContext' });
    });

    it('the CORS message match is case-insensitive but anchored at the start', () => {
      assert.equal(classifyApiFailure(http(401, { message: 'cors requests are NOT allowed here' }), NOW).kind, 'browserContext');
      assert.equal(classifyApiFailure(http(401, { message: 'Error: CORS requests are not allowed' }), NOW).kind, 'invalidKey');
    });

    it('the CORS message on another status is not the browser context', () => {
      assert.equal(classifyApiFailure(http(403, { message: 'CORS requests are not allowed' }), NOW).kind, 'permission');
    });

    it('401 with a null message is an invalid key', () => {
      assert.equal(classifyApiFailure(http(401, { message: null }), NOW).kind, 'invalidKey');
    });

    it('403 is a permission problem', () => {
      assert.deepEqual(classifyApiFailure(http(403, { errorType: 'permission_error' }), NOW), { kind: 'permission', requestId: undefined });
    });

    it('402 is billing', () => {
      assert.deepEqual(classifyApiFailure(http(402), NOW), { kind: 'billing', requestId: undefined });
    });

    it('errorType billing_error is billing whatever the status', () => {
      assert.equal(classifyApiFailure(http(400, { errorType: 'billing_error', message: 'credit balance too low' }), NOW).kind, 'billing');
      assert.equal(classifyApiFailure(http(418, { errorType: 'billing_error' }), NOW).kind, 'billing');
      assert.equal(classifyApiFailure(http(500, { errorType: 'billing_error' }), NOW).kind, 'billing');
    });

    it('404 is not found', () => {
      assert.deepEqual(classifyApiFailure(http(404, { errorType: 'not_found_error' }), NOW), { kind: 'notFound', requestId: undefined });
    });

    it('413 is too large', () => {
      assert.deepEqual(classifyApiFailure(http(413, { errorType: 'request_too_large' }), NOW), { kind: 'tooLarge', requestId: undefined });
    });

    it('429 with retry-after in seconds is rate limited for that long', () => {
      const facts = http(429, { errorType: 'rate_limit_error', header: headers({ 'retry-after': '30' }) });
      assert.deepEqual(classifyApiFailure(facts, NOW), { kind: 'rateLimited', retryAfterSeconds: 30, requestId: undefined });
    });

    it('429 with retry-after-ms uses it, rounded up, ahead of retry-after', () => {
      const facts = http(429, { header: headers({ 'retry-after-ms': '1500', 'retry-after': '60' }) });
      assert.deepEqual(classifyApiFailure(facts, NOW), { kind: 'rateLimited', retryAfterSeconds: 2, requestId: undefined });
    });

    it('429 with retry-after as an HTTP date waits until then', () => {
      const when = new Date(NOW.getTime() + 90_000).toUTCString();
      const facts = http(429, { header: headers({ 'retry-after': when }) });
      assert.deepEqual(classifyApiFailure(facts, NOW), { kind: 'rateLimited', retryAfterSeconds: 90, requestId: undefined });
    });

    it('429 without retry headers is rate limited with no wait', () => {
      assert.deepEqual(classifyApiFailure(http(429), NOW), { kind: 'rateLimited', retryAfterSeconds: undefined, requestId: undefined });
    });

    it('429 with errorCode enforced_spend_limit_reached is the spend cap, lifting the 1st of next month UTC', () => {
      const facts = http(429, { errorType: 'rate_limit_error', errorCode: 'enforced_spend_limit_reached', header: headers({ 'retry-after': '5' }) });
      assert.deepEqual(classifyApiFailure(facts, NOW), {
        kind: 'spendCap',
        resetsAt: '2024-07-01T00:00:00.000Z',
        scope: 'organisation',
        limit: 'monthlyCap',
        resetFromApi: false,
        requestId: undefined,
      });
    });

    it('400 "specified API usage limits" (a workspace or organisation limit) is a spend cap, not a bad request', () => {
      for (const message of ['You have reached your specified workspace API usage limits. You will regain access on 2024-07-01 at 00:00 UTC.', 'You have reached your specified API usage limits.']) {
        const facts = http(400, { errorType: 'invalid_request_error', message });
        assert.equal(classifyApiFailure(facts, NOW).kind, 'spendCap', message);
      }
      assert.equal(classifyApiFailure(http(400, { message: 'max_tokens: too large' }), NOW).kind, 'badRequest');
    });

    it('the spend cap in December lifts on 1 January of the next year', () => {
      const facts = http(429, { errorCode: 'enforced_spend_limit_reached' });
      assert.equal(
        (classifyApiFailure(facts, new Date('2024-12-20T08:00:00.000Z')) as { resetsAt?: string }).resetsAt,
        '2025-01-01T00:00:00.000Z',
      );
    });

    it('the spend cap on the 31st lifts on the 1st of the following month, not later', () => {
      const facts = http(429, { errorCode: 'enforced_spend_limit_reached' });
      assert.equal((classifyApiFailure(facts, new Date('2025-01-31T23:59:59.999Z')) as { resetsAt?: string }).resetsAt, '2025-02-01T00:00:00.000Z');
    });

    it('another errorCode on 429 is plain rate limiting', () => {
      assert.equal(classifyApiFailure(http(429, { errorCode: 'something_else' }), NOW).kind, 'rateLimited');
    });

    it('enforced_spend_limit_reached on a status other than 429 is not the spend cap', () => {
      assert.equal(classifyApiFailure(http(400, { errorCode: 'enforced_spend_limit_reached', message: 'x' }), NOW).kind, 'badRequest');
    });

    it('529 is overloaded', () => {
      assert.deepEqual(classifyApiFailure(http(529), NOW), { kind: 'overloaded', requestId: undefined });
    });

    it('overloaded_error type on another status is overloaded', () => {
      assert.equal(classifyApiFailure(http(500, { errorType: 'overloaded_error' }), NOW).kind, 'overloaded');
      assert.equal(classifyApiFailure(http(503, { errorType: 'overloaded_error' }), NOW).kind, 'overloaded');
      assert.equal(classifyApiFailure(http(400, { errorType: 'overloaded_error' }), NOW).kind, 'overloaded');
    });

    for (const status of [500, 502, 503, 504]) {
      it(`${status} is a server error carrying the status`, () => {
        assert.deepEqual(classifyApiFailure(http(status, { errorType: 'api_error' }), NOW), { kind: 'serverError', status, requestId: undefined });
      });
    }

    it('400 is a bad request carrying the message as detail', () => {
      const facts = http(400, { errorType: 'invalid_request_error', message: 'max_tokens: must be positive' });
      assert.deepEqual(classifyApiFailure(facts, NOW), { kind: 'badRequest', detail: 'max_tokens: must be positive', requestId: undefined });
    });

    it('400 without a message has an empty detail', () => {
      assert.deepEqual(classifyApiFailure(http(400), NOW), { kind: 'badRequest', detail: '', requestId: undefined });
      assert.deepEqual(classifyApiFailure(http(400, { message: null }), NOW), { kind: 'badRequest', detail: '', requestId: undefined });
    });

    it('418 is unknown, carrying the status', () => {
      assert.deepEqual(classifyApiFailure(http(418), NOW), { kind: 'unknown', status: 418, requestId: undefined });
    });

    it('other unmapped 4xx statuses are unknown', () => {
      for (const status of [405, 409, 422]) {
        assert.deepEqual(classifyApiFailure(http(status), NOW), { kind: 'unknown', status, requestId: undefined });
      }
    });

    it('carries the request id through every HTTP kind that has one', () => {
      const requestId = 'req_011CTestRequestId';
      const cases: Array<[ApiFailureFacts, string]> = [
        [http(401, { requestId }), 'invalidKey'],
        [http(403, { requestId }), 'permission'],
        [http(402, { requestId }), 'billing'],
        [http(404, { requestId }), 'notFound'],
        [http(413, { requestId }), 'tooLarge'],
        [http(429, { requestId }), 'rateLimited'],
        [http(429, { requestId, errorCode: 'enforced_spend_limit_reached' }), 'spendCap'],
        [http(529, { requestId }), 'overloaded'],
        [http(502, { requestId }), 'serverError'],
        [http(400, { requestId }), 'badRequest'],
        [http(418, { requestId }), 'unknown'],
      ];
      for (const [facts, kind] of cases) {
        const problem = classifyApiFailure(facts, NOW) as { kind: string; requestId?: string };
        assert.equal(problem.kind, kind);
        assert.equal(problem.requestId, requestId, kind);
      }
    });

    it('a null request id becomes undefined', () => {
      const problem = classifyApiFailure(http(403, { requestId: null }), NOW);
      assert.deepEqual(problem, { kind: 'permission', requestId: undefined });
    });

    it('uses the current time when no `now` is given', () => {
      const before = nextMonthStartUtc(new Date());
      const problem = classifyApiFailure(http(429, { errorCode: 'enforced_spend_limit_reached' }));
      const after = nextMonthStartUtc(new Date());
      assert.equal(problem.kind, 'spendCap');
      assert.ok([before, after].includes((problem as { resetsAt: string }).resetsAt));
    });
  });

  describe('classifyApiFailure: connection, no key, aborted', () => {
    it('a timeout is a timeout for the host, whatever the code', () => {
      assert.deepEqual(classifyApiFailure(connection(undefined, true), NOW), { kind: 'timeout', host: 'api.example.test' });
      assert.deepEqual(classifyApiFailure(connection('ECONNRESET', true), NOW), { kind: 'timeout', host: 'api.example.test' });
    });

    const causes: Array<[string, string]> = [
      ['ENOTFOUND', 'dns'],
      ['EAI_AGAIN', 'dns'],
      ['ECONNREFUSED', 'refused'],
      ['ECONNRESET', 'reset'],
      ['EPIPE', 'reset'],
      ['UND_ERR_SOCKET', 'reset'],
      ['other side closed', 'reset'],
      ['socket hang up', 'reset'],
      ['CERT_HAS_EXPIRED', 'tls'],
      ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
      ['SELF_SIGNED_CERT_IN_CHAIN', 'tls'],
      ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
      ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
      ['EHOSTUNREACH', 'other'],
      ['SOMETHING_NEW', 'other'],
    ];
    for (const [code, cause] of causes) {
      it(`code ${code} is a network problem caused by ${cause}`, () => {
        assert.deepEqual(classifyApiFailure(connection(code), NOW), { kind: 'network', host: 'api.example.test', cause });
      });
    }

    it('matching the code is case-insensitive', () => {
      assert.equal((classifyApiFailure(connection('enotfound'), NOW) as { cause?: string }).cause, 'dns');
      assert.equal((classifyApiFailure(connection('econnrefused'), NOW) as { cause?: string }).cause, 'refused');
    });

    it('no code is an "other" network problem', () => {
      assert.deepEqual(classifyApiFailure(connection(undefined), NOW), { kind: 'network', host: 'api.example.test', cause: 'other' });
      assert.deepEqual(classifyApiFailure(connection(''), NOW), { kind: 'network', host: 'api.example.test', cause: 'other' });
    });

    it('UNABLE_TO_VERIFY_LEAF_SIGNATURE is a TLS problem', () => {
      assert.deepEqual(classifyApiFailure(connection('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), NOW), { kind: 'network', host: 'api.example.test', cause: 'tls' });
    });

    it('no key is noKey', () => {
      assert.deepEqual(classifyApiFailure({ kind: 'noKey' }, NOW), { kind: 'noKey' });
    });

    it('aborted is aborted', () => {
      assert.deepEqual(classifyApiFailure({ kind: 'aborted' }, NOW), { kind: 'aborted' });
    });
  });

  describe('retryAfterSeconds', () => {
    it('reads retry-after in whole seconds', () => {
      assert.equal(retryAfterSeconds(headers({ 'retry-after': '30' }), NOW), 30);
    });

    it('rounds fractional retry-after seconds up', () => {
      assert.equal(retryAfterSeconds(headers({ 'retry-after': '1.2' }), NOW), 2);
    });

    it('retry-after 0 means retry now', () => {
      assert.equal(retryAfterSeconds(headers({ 'retry-after': '0' }), NOW), 0);
    });

    it('reads retry-after-ms, rounded up to seconds', () => {
      assert.equal(retryAfterSeconds(headers({ 'retry-after-ms': '1500' }), NOW), 2);
      assert.equal(retryAfterSeconds(headers({ 'retry-after-ms': '1' }), NOW), 1);
      assert.equal(retryAfterSeconds(headers({ 'retry-after-ms': '2000' }), NOW), 2);
      assert.equal(retryAfterSeconds(headers({ 'retry-after-ms': '0' }), NOW), 0);
    });

    it('retry-after-ms wins over retry-after', () => {
      assert.equal(retryAfterSeconds(headers({ 'retry-after-ms': '250', 'retry-after': '120' }), NOW), 1);
    });

    it('an unusable retry-after-ms falls back to retry-after', () => {
      assert.equal(retryAfterSeconds(headers({ 'retry-after-ms': 'soon', 'retry-after': '7' }), NOW), 7);
      assert.equal(retryAfterSeconds(headers({ 'retry-after-ms': '-5', 'retry-after': '7' }), NOW), 7);
      assert.equal(retryAfterSeconds(headers({ 'retry-after-ms': '', 'retry-after': '7' }), NOW), 7);
    });

    it('reads retry-after as an HTTP date relative to now', () => {
      const in45s = new Date(NOW.getTime() + 45_000).toUTCString();
      assert.equal(retryAfterSeconds(headers({ 'retry-after': in45s }), NOW), 45);
    });

    it('an HTTP date in the past means retry now, never negative', () => {
      const past = new Date(NOW.getTime() - 3_600_000).toUTCString();
      assert.equal(retryAfterSeconds(headers({ 'retry-after': past }), NOW), 0);
    });

    it('no header, or garbage, gives undefined', () => {
      assert.equal(retryAfterSeconds(headers(), NOW), undefined);
      assert.equal(retryAfterSeconds(() => null, NOW), undefined);
      assert.equal(retryAfterSeconds(headers({ 'retry-after': '' }), NOW), undefined);
      assert.equal(retryAfterSeconds(headers({ 'retry-after': 'later please' }), NOW), undefined);
    });

    it('a negative or blank retry-after is unusable (undefined)', () => {
      assert.equal(retryAfterSeconds(headers({ 'retry-after': '-1' }), NOW), undefined);
      assert.equal(retryAfterSeconds(headers({ 'retry-after': ' ' }), NOW), undefined);
    });
  });

  describe('nextMonthStartUtc', () => {
    it('is midnight UTC on the 1st of the next month', () => {
      assert.equal(nextMonthStartUtc(new Date('2024-06-15T12:00:00.000Z')), '2024-07-01T00:00:00.000Z');
    });

    it('rolls December over to January of the next year', () => {
      assert.equal(nextMonthStartUtc(new Date('2024-12-31T23:59:59.999Z')), '2025-01-01T00:00:00.000Z');
      assert.equal(nextMonthStartUtc(new Date('2023-12-01T00:00:00.000Z')), '2024-01-01T00:00:00.000Z');
    });

    it('on the 31st goes to the 1st of the next month, not skipping a short month', () => {
      assert.equal(nextMonthStartUtc(new Date('2025-01-31T10:00:00.000Z')), '2025-02-01T00:00:00.000Z');
      assert.equal(nextMonthStartUtc(new Date('2024-03-31T10:00:00.000Z')), '2024-04-01T00:00:00.000Z');
    });

    it('at exactly midnight on the 1st goes to the following month', () => {
      assert.equal(nextMonthStartUtc(new Date('2024-03-01T00:00:00.000Z')), '2024-04-01T00:00:00.000Z');
    });

    it('uses the UTC month, not the local one', () => {
      // 23:30 UTC on 30 April is already 1 May in UTC+1 and later zones; the answer is still 1 May.
      assert.equal(nextMonthStartUtc(new Date('2024-04-30T23:30:00.000Z')), '2024-05-01T00:00:00.000Z');
      // 00:30 UTC on 1 May is still 30 April in UTC-1 and earlier zones; the answer is 1 June.
      assert.equal(nextMonthStartUtc(new Date('2024-05-01T00:30:00.000Z')), '2024-06-01T00:00:00.000Z');
    });

    it('handles leap-year February', () => {
      assert.equal(nextMonthStartUtc(new Date('2024-02-29T12:00:00.000Z')), '2024-03-01T00:00:00.000Z');
    });
  });

  describe('spend limits: the API\'s own date and wording', () => {
    const WORKSPACE = 'You have reached your specified workspace API usage limits. You will regain access on 2025-06-01 at 00:00 UTC.';
    const ORGANISATION = 'You have reached your specified API usage limits. You will regain access on 2026-04-01 at 00:00 UTC.';

    it('parses a workspace limit with its date and time', () => {
      assert.deepEqual(parseSpendLimitMessage(WORKSPACE), { scope: 'workspace', resetsAt: '2025-06-01T00:00:00.000Z' });
    });

    it('a limit without a qualifier is the organisation\'s', () => {
      assert.deepEqual(parseSpendLimitMessage(ORGANISATION), { scope: 'organisation', resetsAt: '2026-04-01T00:00:00.000Z' });
    });

    it('says organisation when the API says organization (either spelling)', () => {
      assert.equal(parseSpendLimitMessage('Your organization has reached its monthly spend limit.')?.scope, 'organisation');
      assert.equal(parseSpendLimitMessage('Your organisation has reached its usage limit.')?.scope, 'organisation');
    });

    it('keeps a time other than midnight, and takes a date without a time as 00:00 UTC', () => {
      assert.equal(parseSpendLimitMessage('API usage limits reached. You will regain access on 2030-01-31 at 17:45 UTC.')?.resetsAt, '2030-01-31T17:45:00.000Z');
      assert.equal(parseSpendLimitMessage('API usage limits reached. You will regain access on 2030-02-01.')?.resetsAt, '2030-02-01T00:00:00.000Z');
    });

    it('a date that does not exist is no date (the scope stays)', () => {
      assert.deepEqual(parseSpendLimitMessage('workspace API usage limits. You will regain access on 2030-02-31 at 00:00 UTC.'), { scope: 'workspace' });
      assert.deepEqual(parseSpendLimitMessage('API usage limits. You will regain access on 2030-01-01 at 25:00 UTC.'), { scope: 'organisation' });
    });

    it('a message about something else, or none, is not a spend limit', () => {
      assert.equal(parseSpendLimitMessage('max_tokens: Field required'), undefined);
      assert.equal(parseSpendLimitMessage(''), undefined);
      assert.equal(parseSpendLimitMessage(null), undefined);
    });

    it('the spend-cap 429 takes the date and the workspace from the API\'s message', () => {
      const facts = http(429, { errorCode: 'enforced_spend_limit_reached', message: WORKSPACE });
      assert.deepEqual(classifyApiFailure(facts, NOW), {
        kind: 'spendCap',
        resetsAt: '2025-06-01T00:00:00.000Z',
        scope: 'workspace',
        limit: 'monthlyCap',
        resetFromApi: true,
        requestId: undefined,
      });
    });

    it('the 400 "specified API usage limits" is a spend limit too, not a bad request', () => {
      const problem = classifyApiFailure(http(400, { errorType: 'invalid_request_error', message: ORGANISATION, requestId: 'req_1' }), NOW);
      assert.deepEqual(problem, {
        kind: 'spendCap',
        resetsAt: '2026-04-01T00:00:00.000Z',
        scope: 'organisation',
        limit: 'usageLimit',
        resetFromApi: true,
        requestId: 'req_1',
      });
      assert.equal(classifyApiFailure(http(400, { message: 'messages: Field required' }), NOW).kind, 'badRequest');
    });

    it('a long message of near-misses gives no date', () => {
      assert.deepEqual(parseSpendLimitMessage('usage limits ' + 'regain access on 2030-'.repeat(50_000)), { scope: 'organisation' });
    });
  });
});

