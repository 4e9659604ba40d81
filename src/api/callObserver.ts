import type { ApiProblem } from '../core/apiProblems';
import type { ApiUsage, UsageOperation } from '../core/usageRecord';

/** A call about to be made. */
export interface CallStart {
  readonly operation: UsageOperation;
  readonly model?: string;
}

/** A call that ended, with what the ledger records. `key` is the key used; it must never be stored. */
export interface CallEnd extends CallStart {
  readonly startedAt: Date;
  readonly key: string | undefined;
  readonly latencyMs: number;
  readonly outcome: 'ok' | 'error' | 'stopped';
  readonly problem?: ApiProblem;
  readonly usage?: ApiUsage;
  readonly requestId?: string;
}

/**
 * What ClaudeClient tells the usage feature, for every call it makes. The client stays free of
 * ledgers, budgets and dialogs; src/usage implements this.
 */
export interface CallObserver {
  /** Before a call: may wait for a pacing slot or ask about the budget; false = do not send. */
  admit(call: CallStart, signal?: AbortSignal): Promise<boolean>;
  /** Every HTTP response, retries included (rate-limit headers), with the call's operation. Must return at once. */
  response(key: string | undefined, headers: Headers, status: number, operation: UsageOperation): void;
  /** Once per call, when it ended. Must return at once (the ledger write is queued). */
  finished(call: CallEnd): void;
}

export const NO_OBSERVER: CallObserver = {
  admit: () => Promise.resolve(true),
  response: () => undefined,
  finished: () => undefined,
};

/** A call was not made: the user declined (budget) or cancelled the wait for a slot. */
export class CallNotAdmitted extends Error {
  constructor() {
    super('The request was not sent');
    this.name = 'CallNotAdmitted';
  }
}

/**
 * Whether `error` is a CallNotAdmitted. By its name, not instanceof: code in another bundle (the
 * prompt runner in dist/prompting.js) has its own copy of the class.
 */
export function isCallNotAdmitted(error: unknown): boolean {
  return error instanceof Error && error.name === 'CallNotAdmitted';
}
