import type { ApiProblem } from '../core/apiProblems';
import type * as Explainer from './problemExplainer';

export type { ProblemAction, ProblemExplanation } from './problemExplainer';

/**
 * Plain words and a next step for a failed call. The wording lives in dist/problems.js (esbuild.js
 * lazyChunks), loaded the first time a call fails: activation and calls that work never pay for it.
 */
export function explainApiProblem(problem: ApiProblem, subject: string): Explainer.ProblemExplanation {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would put the wording back into activation
  return (require('./problemExplainer') as typeof Explainer).explainApiProblem(problem, subject);
}

/** The same for calls made with the stored Admin key: a 401 or 403 names the Admin key and its next step. */
export function explainAdminKeyProblem(problem: ApiProblem, subject: string): Explainer.ProblemExplanation {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  return (require('./problemExplainer') as typeof Explainer).explainAdminKeyProblem(problem, subject);
}
