/** Command-line parsing for `claude-keys`: no dependencies, strict about unknown input. */

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface ScanOptions {
  readonly format: OutputFormat;
  readonly jobs: number;
  readonly paths: readonly string[];
  readonly honourIgnoreMarkers: boolean;
  /** Scan the index's version of the staged files; `paths` (empty: all) restrict it as git pathspecs. */
  readonly staged: boolean;
  /** Scan every blob in the git history instead of files (`since`, `all` narrow or widen it). */
  readonly history: boolean;
  /** With history: only commits after this revision. */
  readonly since?: string;
  /** With history: every ref, not just HEAD. */
  readonly all: boolean;
  /** Check each distinct API or Admin key found against the API (live, revoked, unknown). */
  readonly verify: boolean;
  /** Report only keys the check found live (implies verify). */
  readonly onlyLive: boolean;
  /** Name each API key found from the organisation's key list (Admin key in ANTHROPIC_ADMIN_KEY). */
  readonly identify: boolean;
  /** Follow symlinks whose target is outside the scanned paths (off: a repository could point at /proc/self/environ). */
  readonly followSymlinks: boolean;
}

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'scan'; readonly options: ScanOptions }
  | { readonly kind: 'usageError'; readonly message: string };

export const USAGE = `Usage: claude-keys scan [options] [PATH...]

Finds hard-coded Claude credentials (API and Admin API keys, Claude Code OAuth
tokens, claude.ai session keys) in files and directories. PATH defaults to ".".
Directories are searched recursively, skipping node_modules and .git; dotfiles
are scanned; directory symlinks are not followed, nor file symlinks that point
outside the scanned paths (and the current directory); binary files, devices
and FIFOs are skipped.
Keys are never printed, only their masked form (sk-ant-api03-…wxyz).

With --staged it scans what the next commit will contain instead: the staged
(index) content of every file added, copied, modified or renamed since HEAD,
wherever it is run in the repository; PATHs restrict it to files under them.

With --history it scans the git history instead: every version of every file
reachable from HEAD (every ref with --all), each blob once. A key is reported
at the commit that first brought it into a path, with the commit's author
date, the path from the repository root, and whether the key is still in some
file at HEAD. PATHs are not allowed with --history.

Options:
  -f, --format FORMAT    text (default), json, or sarif (SARIF 2.1.0)
  -j, --jobs N           scan with N threads (default 1)
      --no-ignore-markers  report keys even on lines marked claude-keys:ignore,
                         gitleaks:allow or secretlint-disable-line
      --staged           scan the staged content, for a pre-commit hook
                         (needs git; --jobs is ignored)
      --history          scan every blob in the git history (needs git)
      --since REV        with --history: only commits not reachable from REV
                         (for a pre-push hook: --since @{push})
      --all              with --history: every branch, tag and ref, not just
                         HEAD
      --verify           check each distinct API or Admin API key found with one
                         read request to the Claude API (GET /v1/models, or
                         GET /v1/organizations/api_keys for Admin keys) and
                         report it live, revoked or unknown; off by default
      --only-live        report only keys found live (implies --verify)
      --identify         name each API key found: list the organisation's keys
                         with the Admin key in ANTHROPIC_ADMIN_KEY and match
                         them by their hint (the keys found are not sent)
      --follow-symlinks  also scan files that symlinks point to outside the
                         scanned paths
  -h, --help             show this help
      --version          show the version
  --                     treat every following argument as a PATH

--verify sends each key to https://api.anthropic.com, or to the base URL in
CLAUDE_KEYS_API_BASE_URL (https, or http to this machine only), at most 4
requests a second, without retries. OAuth tokens and session keys are never
sent (reported unknown). --identify sends only the Admin key, to the same place.

Exit status: 0 nothing found, 1 credentials found, 2 usage, read or git error.
`;

const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif'];
const MAX_JOBS = 64;

export function parseArgs(argv: readonly string[]): Command {
  // Help and version win wherever they appear (before `--`), so `claude-keys scan --help` works.
  const end = argv.indexOf('--');
  const flags = end === -1 ? argv : argv.slice(0, end);
  if (flags.includes('--help') || flags.includes('-h')) {
    return { kind: 'help' };
  }
  if (flags.includes('--version')) {
    return { kind: 'version' };
  }
  if (argv.length === 0) {
    return { kind: 'usageError', message: 'missing command (did you mean "claude-keys scan"?)' };
  }
  const [command, ...rest] = argv;
  if (command !== 'scan') {
    return { kind: 'usageError', message: command.startsWith('-') ? `unknown option ${command}` : `unknown command "${command}"` };
  }

  let format: OutputFormat = 'text';
  let jobs = 1;
  let honourIgnoreMarkers = true;
  let staged = false;
  let followSymlinks = false;
  let history = false;
  let since: string | undefined;
  let all = false;
  let verify = false;
  let onlyLive = false;
  let identify = false;
  const paths: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--') {
      paths.push(...rest.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (arg === '-') {
        return { kind: 'usageError', message: 'reading from standard input is not supported; pass file paths' };
      }
      paths.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq !== -1 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq !== -1 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => {
      if (inline !== undefined) {
        return inline;
      }
      i++;
      return i < rest.length ? rest[i] : undefined;
    };
    switch (name) {
      case '-f':
      case '--format': {
        const v = value();
        if (v === undefined) {
          return { kind: 'usageError', message: `${name} needs a value: ${FORMATS.join(', ')}` };
        }
        if (!(FORMATS as readonly string[]).includes(v)) {
          return { kind: 'usageError', message: `unknown format "${v}" (expected ${FORMATS.join(', ')})` };
        }
        format = v as OutputFormat;
        break;
      }
      case '-j':
      case '--jobs': {
        const v = value();
        if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > MAX_JOBS) {
          return { kind: 'usageError', message: `${name} needs a whole number from 1 to ${MAX_JOBS}` };
        }
        jobs = Number(v);
        break;
      }
      case '--no-ignore-markers':
        if (inline !== undefined) {
          return { kind: 'usageError', message: `${name} takes no value` };
        }
        honourIgnoreMarkers = false;
        break;
      case '--staged':
        if (inline !== undefined) {
          return { kind: 'usageError', message: `${name} takes no value` };
        }
        staged = true;
        break;
      case '--history':
      case '--all':
      case '--verify':
      case '--only-live':
      case '--identify':
        if (inline !== undefined) {
          return { kind: 'usageError', message: `${name} takes no value` };
        }
        history ||= name === '--history';
        all ||= name === '--all';
        verify ||= name === '--verify' || name === '--only-live';
        onlyLive ||= name === '--only-live';
        identify ||= name === '--identify';
        break;
      case '--since': {
        const v = value();
        if (v === undefined || v === '' || v.startsWith('-')) {
          return { kind: 'usageError', message: `${name} needs a revision (a commit, branch or tag)` };
        }
        since = v;
        break;
      }
      case '--follow-symlinks':
        if (inline !== undefined) {
          return { kind: 'usageError', message: `${name} takes no value` };
        }
        followSymlinks = true;
        break;
      default:
        return { kind: 'usageError', message: `unknown option ${name}` };
    }
  }
  if ((since !== undefined || all) && !history) {
    return { kind: 'usageError', message: `${since !== undefined ? '--since' : '--all'} needs --history` };
  }
  if (history && staged) {
    return { kind: 'usageError', message: '--history and --staged cannot be combined' };
  }
  if (history && paths.length > 0) {
    return { kind: 'usageError', message: '--history scans the whole repository: it takes no PATH' };
  }
  // Staged with no PATH: the whole commit, not just the current directory.
  const defaultPaths = staged || history ? [] : ['.'];
  const options: ScanOptions = { format, jobs, paths: paths.length > 0 ? paths : defaultPaths, honourIgnoreMarkers, staged, followSymlinks, history, all, verify, onlyLive, identify };
  return { kind: 'scan', options: since === undefined ? options : { ...options, since } };
}
