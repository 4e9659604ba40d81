import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * The deliberate decision for every setting: may a workspace's (a repository's) settings file set it?
 * `application`: read only from user settings, in every workspace, trusted or not. A new setting
 * fails this test until someone decides its scope here.
 */
const DECISIONS: Record<string, { scope: 'application' | 'window'; restricted: boolean; why: string }> = {
  'claudeKeys.apiBaseUrl': { scope: 'application', restricted: true, why: 'where the key is sent' },
  'claudeKeys.injectIntoTerminals': { scope: 'application', restricted: true, why: 'puts the key where workspace programs read it' },
  'claudeKeys.apiKey': { scope: 'application', restricted: false, why: 'deprecated, never read' },
  'claudeKeys.rotationReminderDays': { scope: 'application', restricted: true, why: 'a repository could silence reminders' },
  'claudeKeys.detection.enabled': { scope: 'application', restricted: true, why: 'a repository could turn detection off' },
  'claudeKeys.detection.severity': { scope: 'application', restricted: true, why: 'a repository could turn findings into hints' },
  'claudeKeys.prompt.keepHistory': { scope: 'application', restricted: true, why: 'what is kept on disk' },
  'claudeKeys.prompt.defaultModel': { scope: 'application', restricted: true, why: 'drives cost' },
  'claudeKeys.prompt.maxTokens': { scope: 'application', restricted: true, why: 'drives cost' },
  'claudeKeys.prompt.quickPromptTarget': { scope: 'window', restricted: false, why: 'only where an answer is shown' },
  'claudeKeys.usage.retentionMonths': { scope: 'application', restricted: true, why: 'a repository could delete usage history' },
  'claudeKeys.usage.pricing': { scope: 'application', restricted: true, why: 'a repository could make spend look free' },
  'claudeKeys.usage.monthlyBudgetUsd': { scope: 'application', restricted: true, why: 'a repository could raise the budget' },
  'claudeKeys.usage.budgetWarningPercent': { scope: 'application', restricted: true, why: 'a repository could silence budget warnings' },
  'claudeKeys.maxRequestsPerMinute': { scope: 'application', restricted: true, why: 'a repository could lift the pacing' },
};

interface Manifest {
  capabilities: { untrustedWorkspaces: { supported: unknown; description?: string; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, { scope?: string }> } };
}

describe('settings a repository may not control (package.json)', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
  const properties = manifest.contributes.configuration.properties;

  it('every setting has the scope decided for it, stated explicitly', () => {
    assert.deepEqual(Object.keys(properties).sort(), Object.keys(DECISIONS).sort(), 'a setting was added or removed without a scope decision');
    const actual = Object.fromEntries(Object.entries(properties).map(([name, p]) => [name, p.scope]));
    const expected = Object.fromEntries(Object.entries(DECISIONS).map(([name, d]) => [name, d.scope]));
    assert.deepEqual(actual, expected);
  });

  it('Restricted Mode is "limited" and lists every security-relevant setting as restricted', () => {
    const trust = manifest.capabilities.untrustedWorkspaces;
    assert.equal(trust.supported, 'limited');
    assert.ok(trust.description, 'limited support needs a description');
    const restricted = Object.entries(DECISIONS)
      .filter(([, d]) => d.restricted)
      .map(([name]) => name)
      .sort();
    assert.deepEqual([...(trust.restrictedConfigurations ?? [])].sort(), restricted);
  });

  it('only settings that cost nothing and send nothing are left to workspaces', () => {
    const workspaceSettable = Object.entries(properties)
      .filter(([, p]) => p.scope !== 'application' && p.scope !== 'machine')
      .map(([name]) => name);
    assert.deepEqual(workspaceSettable, ['claudeKeys.prompt.quickPromptTarget']);
  });
});
