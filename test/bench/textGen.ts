import { mulberry32 } from './mulberry32';

/**
 * Realistic code, config and prose from a seeded generator, for the bench's tree (tree.ts) and its
 * in-memory document (buildDocument).
 */

const WORDS = (
  'account active adapter address agent alert amount analysis answer api archive array ask assistant ' +
  'async attempt audit author backup balance batch billing block body boolean branch budget buffer ' +
  'build bundle cache callback cancel capacity cart channel check chunk claim client cluster code ' +
  'column command comment commit config connection consumer content context count create credential ' +
  'customer cursor dashboard data date debug default delete delivery deploy desk detail device digest ' +
  'disk document domain draft driver duration editor element email encode endpoint entry error event ' +
  'export factory feature field file filter flag format frame gateway handler hash header health ' +
  'history host image index input instance invoice issue item job key label layer layout lease level ' +
  'limit link list load lock log mask message metric model module monitor network node notice offset ' +
  'order output owner package page params parser patch path payload peer pending plan policy pool ' +
  'port prompt provider proxy query queue quota range rate reader record region release report ' +
  'request result retry risk role route rule sample schema scope search secret segment sender ' +
  'server session setting shard signal sink skip slot snapshot socket source span stage state status ' +
  'storage stream summary task template tenant thread ticket timer token topic trace tracker ' +
  'transfer update upload usage user value vault version view volume webhook window worker workspace'
).split(' ');
const PROSE_EXTRAS = ['café', 'naïve', '—', '→', 'résumé', 'über', '✓'];

export type Lang = 'ts' | 'py' | 'go' | 'json' | 'md' | 'env';

export class TextGen {
  constructor(readonly next: () => number) {}

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  word(): string {
    return this.pick(WORDS);
  }

  camel(parts = 2): string {
    let out = this.word();
    for (let i = 1; i < parts; i++) {
      const w = this.word();
      out += w[0].toUpperCase() + w.slice(1);
    }
    return out;
  }

  pascal(parts = 2): string {
    const c = this.camel(parts);
    return c[0].toUpperCase() + c.slice(1);
  }

  snake(parts = 2): string {
    const out: string[] = [];
    for (let i = 0; i < parts; i++) {
      out.push(this.word());
    }
    return out.join('_');
  }

  sentence(min = 5, max = 14): string {
    const n = min + this.int(max - min);
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      out.push(this.int(40) === 0 ? this.pick(PROSE_EXTRAS) : this.word());
    }
    const s = out.join(' ');
    return s[0].toUpperCase() + s.slice(1) + '.';
  }

  line(lang: Lang): string {
    switch (lang) {
      case 'ts':
        return this.tsLine();
      case 'py':
        return this.pyLine();
      case 'go':
        return this.goLine();
      case 'json':
        return this.jsonLine();
      case 'md':
        return this.mdLine();
      case 'env':
        return `${this.snake(2).toUpperCase()}=${this.pick([String(this.int(10000)), this.camel(2), `https://${this.word()}.example.com/${this.word()}`, 'true'])}`;
    }
  }

  private tsLine(): string {
    switch (this.int(12)) {
      case 0:
        return `import { ${this.pascal()}, ${this.camel()} } from './${this.word()}/${this.camel()}';`;
      case 1:
        return `export async function ${this.camel(3)}(${this.camel()}: ${this.pascal()}, options: ${this.pascal()}Options = {}): Promise<${this.pascal()}> {`;
      case 2:
        return `  const ${this.camel()} = await this.${this.camel()}.${this.camel()}(${this.camel()}, { ${this.camel()}: ${this.int(1000)}, ${this.word()}: '${this.word()}-${this.word()}' });`;
      case 3:
        return `  if (${this.camel()} === undefined || ${this.camel()}.length > ${this.int(500)}) {\n    throw new Error('${this.sentence(3, 8)}');\n  }`;
      case 4:
        return `  return ${this.camel()}.filter((item) => item.${this.camel()} !== null).map((item) => item.${this.word()});`;
      case 5:
        return '}';
      case 6:
        return `  // ${this.sentence()}`;
      case 7:
        return `  this.logger.info(\`${this.word()} ${this.word()} \${${this.camel()}.id} took \${Date.now() - started} ms\`);`;
      case 8:
        return `export interface ${this.pascal()} {\n  readonly ${this.camel()}: string;\n  readonly ${this.camel()}?: number;\n  ${this.camel()}: ${this.pascal()}[];\n}`;
      case 9:
        return '';
      case 10:
        return `    ${this.camel()}: ${this.pick(['true', 'false', String(this.int(99)), `'${this.word()}'`, `${this.camel()}.${this.word()}`])},`;
      default:
        return `  for (const ${this.word()} of ${this.camel()}) {\n    ${this.camel()}.set(${this.word()}.${this.camel()}, (${this.camel()}.get(${this.word()}.id) ?? 0) + 1);\n  }`;
    }
  }

  private pyLine(): string {
    switch (this.int(11)) {
      case 0:
        return `from ${this.word()}.${this.word()} import ${this.pascal()}, ${this.snake()}`;
      case 1:
        return `def ${this.snake(3)}(self, ${this.snake()}, ${this.word()}=None, *, timeout=${this.int(60)}):`;
      case 2:
        return `    """${this.sentence()}"""`;
      case 3:
        return `    ${this.snake()} = self.${this.snake()}.${this.word()}(${this.snake()}, ${this.word()}=${this.word()})`;
      case 4:
        return `    if not ${this.snake()} or len(${this.word()}) > ${this.int(1000)}:\n        raise ValueError("${this.sentence(3, 8)}")`;
      case 5:
        return `    return [x.${this.word()} for x in ${this.snake()} if x.${this.snake()} is not None]`;
      case 6:
        return `    # ${this.sentence()}`;
      case 7:
        return '';
      case 8:
        return `class ${this.pascal()}(${this.pascal()}):`;
      case 9:
        return `    logger.debug("%s %s took %.2f ms", ${this.word()}, ${this.snake()}, elapsed * 1000)`;
      default:
        return `        ${this.snake()}[${this.word()}.id] = ${this.snake()}.get(${this.word()}.id, 0) + 1`;
    }
  }

  private goLine(): string {
    switch (this.int(10)) {
      case 0:
        return `func (s *${this.pascal()}) ${this.pascal(3)}(ctx context.Context, ${this.camel()} string) (*${this.pascal()}, error) {`;
      case 1:
        return `\t${this.camel()}, err := s.${this.camel()}.${this.pascal()}(ctx, ${this.camel()})`;
      case 2:
        return `\tif err != nil {\n\t\treturn nil, fmt.Errorf("${this.word()} ${this.word()}: %w", err)\n\t}`;
      case 3:
        return `// ${this.pascal()} ${this.sentence().toLowerCase()}`;
      case 4:
        return '}';
      case 5:
        return '';
      case 6:
        return `\t${this.pascal()} ${this.pick(['string', 'int64', 'bool', '[]byte', 'time.Duration', `*${this.pascal()}`])} \`json:"${this.snake()}"\``;
      case 7:
        return `\tfor _, ${this.word()} := range ${this.camel()} {\n\t\t${this.camel()}[${this.word()}.ID]++\n\t}`;
      case 8:
        return `\ts.log.Info("${this.word()} ${this.word()}", "id", ${this.camel()}.ID, "elapsed", time.Since(start))`;
      default:
        return `\treturn &${this.pascal()}{${this.pascal()}: ${this.camel()}, ${this.pascal()}: ${this.int(100)}}, nil`;
    }
  }

  private jsonLine(): string {
    return `  {"id": ${this.int(1_000_000)}, "name": "${this.word()} ${this.word()}", "${this.camel()}": "${this.word()}-${this.word()}", "enabled": ${this.int(2) === 0}, "tags": ["${this.word()}", "${this.word()}"], "count": ${this.int(5000)}, "updatedAt": "2024-0${1 + this.int(9)}-1${this.int(10)}T0${this.int(10)}:${10 + this.int(50)}:00Z"},`;
  }

  private mdLine(): string {
    switch (this.int(9)) {
      case 0:
        return `## ${this.pascal()} ${this.word()}`;
      case 1:
      case 2:
      case 3:
        return `${this.sentence(8, 20)} ${this.sentence(6, 16)}`;
      case 4:
        return `- **${this.word()}**: ${this.sentence(4, 10)}`;
      case 5:
        return '';
      case 6:
        return `\`\`\`sh\n${this.word()} ${this.word()} --${this.word()}=${this.int(100)} ./${this.word()}\n\`\`\``;
      case 7:
        return `| \`${this.camel()}\` | ${this.word()} | ${this.sentence(3, 7)} |`;
      default:
        return `See [${this.word()}](https://docs.example.com/${this.word()}/${this.word()}) for the ${this.word()} ${this.word()}.`;
    }
  }
}

/** A document of realistic mixed text of about `bytes` with the given values spread through it. */
export function buildDocument(bytes: number, values: readonly string[], seed = 7): string {
  const gen = new TextGen(mulberry32(seed));
  const langs: Lang[] = ['ts', 'py', 'go', 'md', 'json'];
  const lines: string[] = [];
  let size = 0;
  let lang: Lang = 'ts';
  while (size < bytes) {
    if (gen.int(200) === 0) {
      lang = gen.pick(langs);
    }
    const line = gen.line(lang);
    lines.push(line);
    size += line.length + 1;
  }
  values.forEach((value, i) => {
    lines.splice(Math.floor(((i + 1) / (values.length + 1)) * lines.length), 0, `const key${i} = "${value}";`);
  });
  return lines.join('\n');
}
