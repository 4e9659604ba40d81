/**
 * Options that stop a repository's own configuration from making git run a program: a shipped
 * `.git/config` can name an fsmonitor hook, a pager, a signature checker (log.showSignature runs
 * gpg.program) or an external diff, and a bare repository planted in the tree is refused.
 * Command-line `-c` wins over every config file. Shared by the editor (detection/gitStatus.ts) and
 * the CLI (cli/gitBlobs.ts).
 */
export const SAFE_GIT_OPTIONS: readonly string[] = [
  '--no-pager',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.pager=cat',
  '-c',
  'log.showSignature=false',
  '-c',
  'diff.external=',
  '-c',
  'safe.bareRepository=explicit',
  '--no-optional-locks',
];

/**
 * Environment for git: never prompt, never take optional locks (a pre-commit hook runs while commit
 * holds index.lock), and never fetch a missing object from a partial clone's remote (git ≥ 2.44).
 */
export function safeGitEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...base, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_NO_LAZY_FETCH: '1' };
}
