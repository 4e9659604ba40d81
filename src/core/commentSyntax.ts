/** Line comment syntax per VS Code language id, for ignore markers. */
export interface CommentSyntax {
  readonly start: string;
  readonly end?: string;
}

const SLASHES: CommentSyntax = { start: '//' };
const HASH: CommentSyntax = { start: '#' };
const DASHES: CommentSyntax = { start: '--' };
const HTML: CommentSyntax = { start: '<!--', end: '-->' };

const BY_LANGUAGE: Readonly<Record<string, CommentSyntax>> = {
  javascript: SLASHES,
  javascriptreact: SLASHES,
  typescript: SLASHES,
  typescriptreact: SLASHES,
  jsonc: SLASHES,
  go: SLASHES,
  java: SLASHES,
  csharp: SLASHES,
  c: SLASHES,
  cpp: SLASHES,
  rust: SLASHES,
  php: SLASHES,
  swift: SLASHES,
  kotlin: SLASHES,
  scala: SLASHES,
  dart: SLASHES,
  groovy: SLASHES,
  python: HASH,
  ruby: HASH,
  shellscript: HASH,
  dotenv: HASH,
  properties: HASH,
  yaml: HASH,
  toml: HASH,
  dockerfile: HASH,
  makefile: HASH,
  perl: HASH,
  r: HASH,
  powershell: HASH,
  coffeescript: HASH,
  elixir: HASH,
  terraform: HASH,
  ini: { start: ';' },
  sql: DASHES,
  lua: DASHES,
  haskell: DASHES,
  markdown: HTML,
  html: HTML,
  xml: HTML,
  vue: HTML,
  svelte: HTML,
  bat: { start: 'REM' },
  latex: { start: '%' },
  css: { start: '/*', end: '*/' },
  scss: SLASHES,
  less: SLASHES,
};

/** Plain JSON (and notebooks) have no comments: undefined. */
export function commentSyntaxFor(languageId: string, fileName = ''): CommentSyntax | undefined {
  if (Object.hasOwn(BY_LANGUAGE, languageId)) {
    return BY_LANGUAGE[languageId];
  }
  // Files VS Code opens as plaintext but that have a known syntax.
  if (/(^|[\\/])\.env(\.[\w.-]+)?$/.test(fileName) || /(^|[\\/])Dockerfile[^\\/]*$/.test(fileName)) {
    return HASH;
  }
  return undefined;
}

export function ignoreCommentLine(syntax: CommentSyntax, indent: string, marker: string): string {
  return `${indent}${syntax.start} ${marker}${syntax.end ? ` ${syntax.end}` : ''}`;
}
