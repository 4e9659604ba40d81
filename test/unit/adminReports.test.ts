import * as assert from 'node:assert/strict';
import { centsToUsd, costByDay, costReportQuery, parseCostBuckets, parseUsageBuckets, reportWindow, usageReportQuery } from '../../src/core/adminReports';
import { maskKey } from '../../src/core/mask';
import { emptySummary } from '../../src/core/usageAggregate';
import { fetchOrganisationUsage, type OrganisationUsageSources } from '../../src/usage/adminReports';
import { fakeKeys } from '../fakes/keys';
import { fakeApiSuite } from './fakeApiSuite';

const NOW = new Date('2026-12-02T15:30:00Z');

describe('core/adminReports', () => {
  it('centsToUsd: a decimal string in cents is dollars; anything else is undefined, never 0', () => {
    assert.equal(centsToUsd('123.45'), 1.2345);
    assert.equal(centsToUsd('410'), 4.1);
    assert.equal(centsToUsd('0'), 0);
    assert.equal(centsToUsd(' 7.5 '), 0.075);
    assert.equal(centsToUsd(250), 2.5);
    for (const bad of ['', '1,5', '12e3', 'NaN', 'abc', null, undefined, {}, Number.POSITIVE_INFINITY]) {
      assert.equal(centsToUsd(bad), undefined, String(bad));
    }
  });

  it('asks for 30 daily buckets ending with today (UTC), grouped by api_key_id and model', () => {
    assert.deepEqual(reportWindow(NOW), { startingAt: '2026-11-03T00:00:00Z', endingAt: '2026-12-03T00:00:00Z' });
    const query = usageReportQuery(NOW);
    assert.deepEqual(query.group_by, ['api_key_id', 'model']);
    assert.equal(query.bucket_width, '1d');
    assert.equal(query.limit, 30);
  });

  it('parses the documented usage shape; empty buckets give no rows; malformed items are skipped and counted', () => {
    const parsed = parseUsageBuckets([
      { starting_at: '2026-12-01T00:00:00Z', ending_at: '2026-12-02T00:00:00Z', results: [] },
      {
        starting_at: '2026-12-02T00:00:00Z',
        ending_at: '2026-12-03T00:00:00Z',
        results: [
          {
            uncached_input_tokens: 100,
            cache_creation: { ephemeral_5m_input_tokens: 20, ephemeral_1h_input_tokens: 30 },
            cache_read_input_tokens: 400,
            output_tokens: 50,
            server_tool_use: { web_search_requests: 2 },
            api_key_id: 'apikey_01abc',
            model: 'claude-haiku-4-5-20251001',
          },
          { uncached_input_tokens: 9, output_tokens: 1, api_key_id: null, model: 'claude-haiku-4-5-20251001' },
          'not an object',
        ],
      },
      { starting_at: 'yesterday', results: [] },
      { results: 'none' },
    ]);
    assert.equal(parsed.skipped, 3);
    assert.deepEqual(parsed.rows, [
      { day: '2026-12-02', apiKeyId: 'apikey_01abc', model: 'claude-haiku-4-5-20251001', inputTokens: 100, outputTokens: 50, cacheWrite5mTokens: 20, cacheWrite1hTokens: 30, cacheReadTokens: 400, webSearchRequests: 2 },
      { day: '2026-12-02', apiKeyId: null, model: 'claude-haiku-4-5-20251001', inputTokens: 9, outputTokens: 1, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0, webSearchRequests: 0 },
    ]);
  });

  it('parses cost buckets (cents → USD), drops other currencies and bad amounts, and sums per day', () => {
    const parsed = parseCostBuckets([
      { starting_at: '2026-12-01T00:00:00Z', results: [{ amount: '123.45', currency: 'USD', cost_type: 'tokens', model: null }, { amount: '10', currency: 'USD' }] },
      { starting_at: '2026-12-02T00:00:00Z', results: [{ amount: '5', currency: 'EUR' }, { amount: 'lots', currency: 'USD' }, { amount: '200', currency: 'USD' }] },
    ]);
    assert.equal(parsed.skipped, 2);
    const days = costByDay(parsed.rows);
    assert.deepEqual(days.map((d) => d.day), ['2026-12-01', '2026-12-02']);
    assert.ok(Math.abs(days[0].usd - 1.3345) < 1e-12);
    assert.equal(days[1].usd, 2);
  });
});

describe('Admin reports through ClaudeClient (real SDK, loopback fake)', function () {
  // The first call loads the SDK: slow on a loaded machine.
  this.timeout(20_000);
  const suite = fakeApiSuite();
  let adminKey: string;

  beforeEach(() => {
    adminKey = fakeKeys.adminKey();
    suite.fake.addAdminKey(adminKey);
  });

  function sources(overrides: Partial<OrganisationUsageSources> = {}): OrganisationUsageSources {
    return {
      client: suite.client,
      adminKey: () => Promise.resolve(adminKey),
      storedKeys: () => Promise.resolve({ work: suite.key }),
      ledger: () => Promise.resolve(emptySummary()),
      priceOverrides: () => ({}),
      ...overrides,
    };
  }

  it('follows has_more / next_page to the last page and merges every bucket, empty ones included', async () => {
    suite.fake.reports.maxBucketsPerPage = 7;
    const result = await suite.client.organizationReport(adminKey, 'usageReport', usageReportQuery(new Date()));
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.value.pages, 5);
    assert.equal(result.value.buckets.length, 30);
    const pages = suite.fake.requests.filter((r) => r.path === '/v1/organizations/usage_report/messages');
    assert.equal(pages.length, 5);
    assert.equal(pages[0].query.page, undefined);
    assert.ok(pages.slice(1).every((r) => typeof r.query.page === 'string' && r.query.page.length > 0));
    // group_by[] is sent the way the API reads arrays (the recorded query keeps the last value).
    assert.equal(pages[0].query['group_by[]'], 'model');
    const days = parseUsageBuckets(result.value.buckets);
    assert.equal(days.skipped, 0);
  });

  it('reconciles the org report with the ledger: spend on a stored key that the ledger lacks is unexplained', async () => {
    const record = suite.fake.addApiKey(suite.key);
    const other = suite.fake.addApiKey(fakeKeys.apiKey());
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    suite.fake.reports.usage.push(
      { at: yesterday, apiKeyId: record.id, model: 'claude-haiku-4-5-20251001', uncachedInputTokens: 1_000_000, outputTokens: 100_000 },
      { at: yesterday, apiKeyId: other.id, model: 'claude-haiku-4-5-20251001', uncachedInputTokens: 5_000_000 },
    );
    suite.fake.reports.costs.push({ at: yesterday, amount: '210' }, { at: yesterday, amount: '500' });
    const ledger = emptySummary();
    // The ledger covers the whole window (a record long before it).
    ledger.byDay['2020-01-01'] = ledger.total;
    const usage = await fetchOrganisationUsage(sources({ ledger: () => Promise.resolve(ledger) }));
    assert.equal(usage.state, 'ok');
    if (usage.state !== 'ok') {
      return;
    }
    assert.equal(usage.keys.length, 1, 'only the stored key is reconciled; the other org key is ignored');
    const [key] = usage.keys;
    assert.deepEqual(key.key, { name: 'work', hint: maskKey(suite.key) });
    assert.equal(key.unexplained.length, 1);
    // Haiku 4.5: 1M input at $1 + 100k output at $5 = $1.50.
    assert.ok(Math.abs(key.unexplainedUsd - 1.5) < 1e-9, String(key.unexplainedUsd));
    assert.ok(Math.abs(usage.orgCostUsd - 7.1) < 1e-9, String(usage.orgCostUsd));
  });

  it('a 403 (Admin key without rights) and a 401 (not an Admin key) stop at the key list with the problem', async () => {
    const noRights = fakeKeys.adminKey();
    suite.fake.addAdminKey(noRights, { permission: 'none' });
    const refused = await fetchOrganisationUsage(sources({ adminKey: () => Promise.resolve(noRights) }));
    assert.deepEqual(refused.state === 'failed' && [refused.step, refused.problem.kind], ['apiKeys', 'permission']);
    const notAdmin = await fetchOrganisationUsage(sources({ adminKey: () => Promise.resolve(suite.key) }));
    assert.deepEqual(notAdmin.state === 'failed' && [notAdmin.step, notAdmin.problem.kind], ['apiKeys', 'invalidKey']);
    assert.deepEqual(await fetchOrganisationUsage(sources({ adminKey: () => Promise.resolve(undefined) })), { state: 'noAdminKey' });
  });

  it('the report endpoints refuse a regular API key (401) and an Admin key without rights (403)', async () => {
    const asApiKey = await suite.client.organizationReport(suite.key, 'costReport', costReportQuery(new Date()));
    assert.equal(!asApiKey.ok && asApiKey.problem.kind, 'invalidKey');
    const noRights = fakeKeys.adminKey();
    suite.fake.addAdminKey(noRights, { permission: 'none' });
    const forbidden = await suite.client.organizationReport(noRights, 'usageReport', usageReportQuery(new Date()));
    assert.equal(!forbidden.ok && forbidden.problem.kind, 'permission');
  });
});
