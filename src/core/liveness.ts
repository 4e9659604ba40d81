import type { ApiProblem } from './apiProblems';
import type { CredentialKind } from './credentials';

/**
 * Whether a found key still works, from one cheap authenticated read (TruffleHog's rule): the
 * answer's HTTP status, or none when the request never got one (network, timeout).
 */
export type Liveness = 'live' | 'revoked' | 'unknown';

export interface Verdict {
  readonly state: Liveness;
  /** Why, in a few words (never the key, never a server message: a proxy could echo the key). */
  readonly detail: string;
}

/** The kinds that have a check: OAuth tokens and session keys are never sent anywhere. */
export function isVerifiable(kind: CredentialKind): kind is 'apiKey' | 'adminKey' {
  return kind === 'apiKey' || kind === 'adminKey';
}

/**
 * 2xx: the key authenticated. 403: it authenticated but may not read this (still a working key).
 * 401 and 404: rejected, as a revoked or deleted key is. Anything else (429, 5xx, 400) says
 * nothing about the key.
 */
export function livenessOf(status: number | undefined, failure?: string): Verdict {
  if (status === undefined) {
    return { state: 'unknown', detail: failure ? `no answer (${failure})` : 'no answer' };
  }
  if (status >= 200 && status < 300) {
    return { state: 'live', detail: `HTTP ${status}` };
  }
  if (status === 403) {
    return { state: 'live', detail: 'HTTP 403: the key works but lacks permission for this read' };
  }
  if (status === 401 || status === 404) {
    return { state: 'revoked', detail: `HTTP ${status}` };
  }
  return { state: 'unknown', detail: `HTTP ${status}` };
}

/** An ApiProblem's HTTP status, as far as it says; undefined when no answer came. */
function statusOf(problem: ApiProblem): number | undefined {
  switch (problem.kind) {
    case 'invalidKey':
    case 'browserContext':
      return 401;
    case 'permission':
      return 403;
    case 'billing':
      return 402;
    case 'notFound':
      return 404;
    case 'tooLarge':
      return 413;
    case 'rateLimited':
    case 'spendCap':
      return 429;
    case 'overloaded':
      return 529;
    case 'serverError':
      return problem.status;
    case 'badRequest':
      return 400;
    case 'unknown':
      return problem.status;
    default:
      return undefined;
  }
}

/** The editor's checks (through ClaudeClient, which gives ApiProblems) judged as the CLI's --verify judges. */
export function livenessOfProblem(problem: ApiProblem): Verdict {
  if (problem.kind === 'browserContext') {
    return { state: 'unknown', detail: 'called from a browser context' };
  }
  const status = statusOf(problem);
  if (status !== undefined) {
    return livenessOf(status);
  }
  const failure = problem.kind === 'timeout' ? 'timed out' : problem.kind === 'network' ? `network: ${problem.cause}` : problem.kind === 'badBaseUrl' ? 'claudeKeys.apiBaseUrl is not usable' : problem.kind;
  return livenessOf(undefined, failure);
}
