/**
 * The git pre-commit hook the README documents, as `Claude Keys: Show Pre-commit Hook` hands it
 * out. Its last lines are the README's script exactly (a unit test keeps the two in step).
 */
export const PRE_COMMIT_HOOK_SCRIPT = ['#!/bin/sh', '# Block commits that add a Claude key.', 'exec npx --no claude-keys scan --staged', ''].join('\n');

/** The script with the steps to install it, as comments a shell ignores. */
export function preCommitHookDocument(): string {
  const [shebang, ...rest] = PRE_COMMIT_HOOK_SCRIPT.split('\n');
  return [
    shebang,
    '# Claude Keys pre-commit hook. To use it:',
    '#   1. Save this file as .git/hooks/pre-commit in your repository.',
    '#   2. Make it executable: chmod +x .git/hooks/pre-commit',
    '#   3. Add the CLI to the project: npm install --save-dev /path/to/claude-keys',
    '#      (npx --no never downloads a package of that name from the registry).',
    '# With husky, lefthook or core.hooksPath, add the exec line to that hook instead.',
    ...rest,
  ].join('\n');
}
