import { explainApiProblem, type ProblemAction } from '../api/apiProblemMessages';
import { Commands, Urls } from '../constants';
import type { ApiProblem } from '../core/apiProblems';
import type { ProblemActionId, ProblemView } from '../shared/promptProtocol';

/** Webview-safe actions: the webview names an id, the host decides what it does. */
const ACTIONS: Readonly<Record<ProblemActionId, { command?: string; url?: string }>> = {
  setApiKey: { command: Commands.setApiKey },
  rotateApiKey: { command: Commands.rotateApiKey },
  openConsole: { url: Urls.consoleKeys },
  openLimits: { url: Urls.consoleLimits },
  openStatusPage: { url: Urls.statusPage },
  openBilling: { url: Urls.consoleBilling },
  openSettings: { command: 'workbench.action.openSettings' },
  retry: {},
};

function actionId(action: ProblemAction): ProblemActionId | undefined {
  const target = 'command' in action ? { command: action.command } : { url: action.url };
  return (Object.keys(ACTIONS) as ProblemActionId[]).find((id) => (target.command ? ACTIONS[id].command === target.command : target.url !== undefined && ACTIONS[id].url === target.url));
}

export function problemView(problem: ApiProblem, subject: string): ProblemView {
  const explanation = explainApiProblem(problem, subject);
  const actions = explanation.actions.flatMap((a) => {
    const id = actionId(a);
    return id ? [{ id, label: a.label }] : [];
  });
  return { message: explanation.message, severity: explanation.severity, actions };
}

export function resolveProblemAction(id: ProblemActionId): { command?: string; url?: string } {
  return ACTIONS[id];
}
