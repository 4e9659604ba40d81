/** What the SDK's `fetch` option takes (the global fetch's shape). */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export const SPEND_CAP_ERROR_CODE = 'enforced_spend_limit_reached';

/**
 * The monthly spend cap answers 429 like a rate limit, but it lifts only at the start of next month,
 * so retrying wastes the user's time. The SDK retries every 429 unless the response carries
 * `x-should-retry: false`; this fetch adds that header to spend-cap answers (and nothing else), so the
 * SDK's own retry logic gives up at once.
 */
export function spendCapAwareFetch(inner: FetchFunction = (input, init) => fetch(input, init)): FetchFunction {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.status !== 429 || response.headers.has('x-should-retry') || !(await isSpendCap(response))) {
      return response;
    }
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}

async function isSpendCap(response: Response): Promise<boolean> {
  try {
    const body = (await response.clone().json()) as { error?: { details?: { error_code?: unknown } } } | null;
    return body?.error?.details?.error_code === SPEND_CAP_ERROR_CODE;
  } catch {
    // Not JSON: an ordinary 429 as far as anyone can tell.
    return false;
  }
}
