import type { BaseAnthropic } from '@anthropic-ai/sdk/client';
import { ReportPageCursor } from '@anthropic-ai/sdk/core/pagination';

/**
 * The Admin API's report endpoints on the SDK's own request machinery (auth, retries, errors and the
 * has_more / next_page cursor of ReportPageCursor). SDK 1.14's typed `beta.organization.analytics`
 * reports are other endpoints (/v1/organizations/analytics/…, Enterprise analytics), so these two are
 * called by path. Part of dist/sdk.js: import it only through sdk.ts.
 */

export const USAGE_REPORT_PATH = '/v1/organizations/usage_report/messages';
export const COST_REPORT_PATH = '/v1/organizations/cost_report';

/** A hostile or broken server could hand out cursors forever: 31 daily buckets never need this many. */
const MAX_PAGES = 64;

export interface ReportPages {
  /** Every page's buckets, in order: still outside data (core/adminReports parses them). */
  readonly buckets: unknown[];
  readonly pages: number;
}

export async function reportPages(client: BaseAnthropic, path: string, query: Record<string, unknown>): Promise<ReportPages> {
  const buckets: unknown[] = [];
  let pages = 0;
  const first = await client.getAPIList<unknown, ReportPageCursor<unknown>>(path, ReportPageCursor<unknown>, { query });
  for await (const page of first.iterPages()) {
    pages++;
    buckets.push(...page.getPaginatedItems());
    if (pages >= MAX_PAGES) {
      break;
    }
  }
  return { buckets, pages };
}
