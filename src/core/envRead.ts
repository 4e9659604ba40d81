import { API_KEY_ENV_VAR } from '../constants';

/** How each language reads ANTHROPIC_API_KEY from the environment, replacing a quoted literal. */
export interface EnvRead {
  readonly expression: string;
  /** An import the expression needs, added when the file lacks it. */
  readonly requires?: { readonly present: RegExp; readonly line: string };
}

const READS: Readonly<Record<string, EnvRead>> = {
  javascript: { expression: `process.env.${API_KEY_ENV_VAR}` },
  javascriptreact: { expression: `process.env.${API_KEY_ENV_VAR}` },
  typescript: { expression: `process.env.${API_KEY_ENV_VAR}` },
  typescriptreact: { expression: `process.env.${API_KEY_ENV_VAR}` },
  python: { expression: `os.environ["${API_KEY_ENV_VAR}"]`, requires: { present: /^\s*(?:import\s+(?:[\w.]+\s*,\s*)*os\b|from\s+os\s+import\b)/m, line: 'import os' } },
  go: { expression: `os.Getenv("${API_KEY_ENV_VAR}")` },
  java: { expression: `System.getenv("${API_KEY_ENV_VAR}")` },
  csharp: { expression: `Environment.GetEnvironmentVariable("${API_KEY_ENV_VAR}")` },
  ruby: { expression: `ENV["${API_KEY_ENV_VAR}"]` },
  php: { expression: `getenv('${API_KEY_ENV_VAR}')` },
  rust: { expression: `std::env::var("${API_KEY_ENV_VAR}")` },
  shellscript: { expression: `"$${API_KEY_ENV_VAR}"` },
};

export function envReadFor(languageId: string): EnvRead | undefined {
  return Object.hasOwn(READS, languageId) ? READS[languageId] : undefined;
}

/**
 * Where `import os` goes in a Python file: after a shebang, encoding line, module docstring and
 * `from __future__` imports. Returns the 0-based line to insert before.
 */
export function pythonImportLine(text: string): number {
  const lines = text.split(/\r?\n/);
  let i = 0;
  while (i < lines.length && (/^#!/.test(lines[i]) || /^#.*coding[:=]/.test(lines[i]))) {
    i++;
  }
  const docstring = /^\s*(?:[rRuU]?)("""|''')/.exec(lines[i] ?? '');
  if (docstring) {
    const quote = docstring[1];
    const rest = (lines[i] ?? '').slice((lines[i] ?? '').indexOf(quote) + 3);
    if (!rest.includes(quote)) {
      i++;
      while (i < lines.length && !lines[i].includes(quote)) {
        i++;
      }
    }
    i++;
  }
  while (i < lines.length && /^\s*from\s+__future__\s+import\b/.test(lines[i])) {
    i++;
  }
  return Math.min(i, lines.length);
}

/**
 * The span to replace around a key found at [start, end): the key plus the quotes directly around
 * it (and a Python string prefix such as r or f). Undefined when the key is not directly quoted.
 */
export function quotedSpan(text: string, start: number, end: number): { start: number; end: number } | undefined {
  const open = text[start - 1];
  if ((open === '"' || open === "'" || open === '`') && text[end] === open) {
    // A Python string prefix (r"…", f'…', rb"…") belongs to the literal; a letter of an identifier does not.
    const prefix = /(?<!\w)[rRbBuUfF]{1,2}$/.exec(text.slice(Math.max(0, start - 4), start - 1));
    return { start: start - 1 - (prefix?.[0].length ?? 0), end: end + 1 };
  }
  return undefined;
}

/**
 * A shell read of ANTHROPIC_API_KEY for a key at [start, end) that is not directly quoted, in the
 * quoting the line has there: bare → "$VAR"; inside "…" → $VAR; inside '…', where nothing expands,
 * the quote is closed around "$VAR". Only the key's line is read: a string opened on an earlier
 * line is not seen.
 */
export function shellEnvRead(text: string, start: number, end: number): { start: number; end: number; replacement: string } {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let quote: '' | "'" | '"' = '';
  for (let i = lineStart; i < start; i++) {
    const c = text[i];
    if (quote === "'") {
      quote = c === "'" ? '' : quote;
    } else if (c === '\\') {
      i++;
    } else if (c === '"') {
      quote = quote === '"' ? '' : '"';
    } else if (c === "'" && quote === '') {
      quote = "'";
    }
  }
  if (quote === '"') {
    // Braces when a name character follows, or the shell would read a longer variable name.
    const braced = /[A-Za-z0-9_]/.test(text[end] ?? '');
    return { start, end, replacement: braced ? `\${${API_KEY_ENV_VAR}}` : `$${API_KEY_ENV_VAR}` };
  }
  if (quote === "'") {
    // Close the single quotes around the read; a closing quote right after the key is not reopened.
    const closes = text[end] === "'";
    return { start, end: closes ? end + 1 : end, replacement: `'"$${API_KEY_ENV_VAR}"${closes ? '' : "'"}` };
  }
  return { start, end, replacement: `"$${API_KEY_ENV_VAR}"` };
}
