import * as vscode from 'vscode';
import { Commands, Urls } from '../constants';
import { isAnthropicApiHost } from '../core/apiBaseUrl';
import type { ApiProblem } from '../core/apiProblems';

export type ProblemAction =
  | { readonly label: string; readonly command: string }
  | { readonly label: string; readonly url: string };

export interface ProblemExplanation {
  readonly message: string;
  readonly severity: 'warning' | 'error';
  readonly actions: readonly ProblemAction[];
}

function requestRef(requestId: string | undefined): string {
  return requestId ? ' ' + vscode.l10n.t('(request {0})', requestId) : '';
}

function formatWait(seconds: number): string {
  if (seconds < 90) {
    return vscode.l10n.t('{0} s', seconds);
  }
  return vscode.l10n.t('{0} min', Math.ceil(seconds / 60));
}

/**
 * Plain words and a next step for every way an API call fails. `subject` names what was being done
 * ("Checking sk-ant-api03-…wxyz"), and never contains a key.
 */
export function explainApiProblem(problem: ApiProblem, subject: string): ProblemExplanation {
  const openConsole = { label: vscode.l10n.t('Open Console'), url: Urls.consoleKeys };
  const statusPage = { label: vscode.l10n.t('Status Page'), url: Urls.statusPage };
  const limits = { label: vscode.l10n.t('Open Limits'), url: Urls.consoleLimits };
  const settings = { label: vscode.l10n.t('Open Settings'), command: 'workbench.action.openSettings' };
  switch (problem.kind) {
    case 'invalidKey':
      return {
        severity: 'error',
        message: vscode.l10n.t('{0}: Claude rejected the key (401 unauthorized). It is wrong, disabled or deleted. Set a working key or rotate it.{1}', subject, requestRef(problem.requestId)),
        actions: [{ label: vscode.l10n.t('Rotate Key'), command: Commands.rotateApiKey }, { label: vscode.l10n.t('Set API Key'), command: Commands.setApiKey }, openConsole],
      };
    case 'browserContext':
      return {
        severity: 'error',
        message: vscode.l10n.t('{0}: the API refused a browser-context (CORS) request. The key itself may be fine; Claude Keys calls the API from the extension host only.', subject),
        actions: [],
      };
    case 'permission':
      return {
        severity: 'error',
        message: vscode.l10n.t("{0}: the key is valid but has no permission for this (403). Its workspace may not allow this model or endpoint; check the key's workspace in the Console.{1}", subject, requestRef(problem.requestId)),
        actions: [openConsole],
      };
    case 'billing':
      return {
        severity: 'error',
        message: vscode.l10n.t('{0}: billing problem (402). Add credits or a payment method in the Console.{1}', subject, requestRef(problem.requestId)),
        actions: [{ label: vscode.l10n.t('Open Billing'), url: Urls.consoleBilling }],
      };
    case 'notFound':
      return {
        severity: 'error',
        message: vscode.l10n.t('{0}: the API answered 404 not found. Check the setting claudeKeys.apiBaseUrl (it should be https://api.anthropic.com).{1}', subject, requestRef(problem.requestId)),
        actions: [settings],
      };
    case 'badRequest':
      return {
        severity: 'error',
        message: vscode.l10n.t('{0}: the API refused the request (400): {1}{2}', subject, problem.detail || vscode.l10n.t('invalid request'), requestRef(problem.requestId)),
        actions: [],
      };
    case 'tooLarge':
      return {
        severity: 'error',
        message: vscode.l10n.t('{0}: the request is too large (413). Send less text.{1}', subject, requestRef(problem.requestId)),
        actions: [],
      };
    case 'rateLimited':
      return {
        severity: 'warning',
        message:
          problem.retryAfterSeconds !== undefined
            ? vscode.l10n.t('{0}: rate limit exceeded (429). Try again in {1}.{2}', subject, formatWait(problem.retryAfterSeconds), requestRef(problem.requestId))
            : vscode.l10n.t('{0}: rate limit exceeded (429). Try again in a minute.{1}', subject, requestRef(problem.requestId)),
        actions: [limits],
      };
    case 'spendCap': {
      const date = problem.resetsAt.slice(0, 10);
      const time = problem.resetsAt.slice(11, 16);
      const ref = requestRef(problem.requestId);
      let message: string;
      if (problem.scope === 'workspace') {
        message =
          problem.limit === 'monthlyCap'
            ? vscode.l10n.t("{0}: the key's workspace reached its monthly spend limit. Requests fail until it resets on {1} ({2} UTC), or until an admin raises the limit. Retrying won't help.{3}", subject, date, time, ref)
            : vscode.l10n.t("{0}: the key's workspace reached the API usage limit set for it. Requests fail until access returns on {1} ({2} UTC), or until an admin raises the limit. Retrying won't help.{3}", subject, date, time, ref);
      } else {
        message =
          problem.limit === 'monthlyCap'
            ? vscode.l10n.t("{0}: your organisation reached its monthly spend limit. Requests fail until it resets on {1} ({2} UTC), or until an admin raises the limit. Retrying won't help.{3}", subject, date, time, ref)
            : vscode.l10n.t("{0}: your organisation reached the API usage limit set for it. Requests fail until access returns on {1} ({2} UTC), or until an admin raises the limit. Retrying won't help.{3}", subject, date, time, ref);
      }
      return { severity: 'error', message, actions: [limits] };
    }
    case 'overloaded':
      return {
        severity: 'warning',
        message: vscode.l10n.t("{0}: Claude is overloaded right now (529). This is on Anthropic's side and your key is not the problem; try again shortly.{1}", subject, requestRef(problem.requestId)),
        actions: [statusPage],
      };
    case 'serverError':
      return {
        severity: 'warning',
        message: vscode.l10n.t("{0}: the Claude API had an internal error ({1}). This is on Anthropic's side; try again shortly.{2}", subject, problem.status, requestRef(problem.requestId)),
        actions: [statusPage],
      };
    case 'network': {
      const why =
        problem.cause === 'dns'
          ? vscode.l10n.t('the name could not be resolved (DNS)')
          : problem.cause === 'refused'
            ? vscode.l10n.t('the connection was refused')
            : problem.cause === 'reset'
              ? vscode.l10n.t('the connection dropped')
              : problem.cause === 'tls'
                ? vscode.l10n.t('the secure connection failed (TLS certificate)')
                : vscode.l10n.t('the network failed');
      return {
        severity: 'warning',
        message: vscode.l10n.t('{0}: could not reach {1}: {2}. Check your network or proxy, and the setting claudeKeys.apiBaseUrl.', subject, problem.host, why),
        actions: [settings],
      };
    }
    case 'timeout':
      return {
        severity: 'warning',
        message: vscode.l10n.t('{0}: {1} did not answer in time. Check your network or proxy and try again.', subject, problem.host),
        // Anthropic's status page says nothing about a proxy or another host: point at the setting instead.
        actions: [isAnthropicApiHost(problem.host) ? statusPage : settings],
      };
    case 'noKey':
      return {
        severity: 'warning',
        message: vscode.l10n.t('{0}: no Claude API key is stored.', subject),
        actions: [{ label: vscode.l10n.t('Set API Key'), command: Commands.setApiKey }],
      };
    case 'aborted':
      return { severity: 'warning', message: vscode.l10n.t('{0}: stopped.', subject), actions: [] };
    case 'badResponse':
      return {
        severity: 'warning',
        message: vscode.l10n.t('{0}: {1} sent data Claude Keys could not read (a malformed response). Try again; if it keeps happening, check claudeKeys.apiBaseUrl or your proxy.', subject, problem.host),
        actions: [settings],
      };
    case 'badBaseUrl':
      return {
        severity: 'error',
        message: vscode.l10n.t('{0}: the setting claudeKeys.apiBaseUrl is not a usable URL ({1}). Use https://api.anthropic.com.', subject, problem.reason),
        actions: [settings],
      };
    case 'unknown':
      return {
        severity: 'error',
        message: vscode.l10n.t('{0}: the API answered with an unexpected status {1}.{2}', subject, problem.status ?? '?', requestRef(problem.requestId)),
        actions: [statusPage],
      };
  }
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
