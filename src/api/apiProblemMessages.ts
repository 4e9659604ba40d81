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

/**
 * For calls made with the stored Admin key (the organisation's key list, a key's status): a 401 or
 * 403 is about the Admin key, not an API key, so the next step is a different key or more rights.
 */
export function explainAdminKeyProblem(problem: ApiProblem, subject: string): ProblemExplanation {
  const setAdminKey = { label: vscode.l10n.t('Set Admin Key'), command: Commands.setAdminKey };
  const openConsole = { label: vscode.l10n.t('Open Console'), url: Urls.consoleKeys };
  if (problem.kind === 'invalidKey') {
    return {
      severity: 'error',
      message: vscode.l10n.t('{0}: Claude rejected the stored Admin key (401). It is wrong, deactivated or deleted, so it can neither see nor change the organisation\'s keys. Set a working Admin key.{1}', subject, requestRef(problem.requestId)),
      actions: [setAdminKey, openConsole],
    };
  }
  if (problem.kind === 'permission') {
    return {
      severity: 'error',
      message: vscode.l10n.t('{0}: the stored Admin key may not manage the organisation\'s API keys (403). Ask an organisation admin for an Admin key that can, or change the key in the Console.{1}', subject, requestRef(problem.requestId)),
      actions: [openConsole, setAdminKey],
    };
  }
  return explainApiProblem(problem, subject);
}
