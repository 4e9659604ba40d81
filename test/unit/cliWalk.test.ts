import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { maskKey } from '../../src/core/mask';
import { API_PREFIX, cli, expected, json, key, scanTreeHooks } from './cliScan';

/** The scan CLI end to end (cliScan.ts): which files a directory walk reads and which it skips. */
let tmp: string;

describe('cli: claude-keys scan', function () {
  const write = scanTreeHooks(this, (dir) => (tmp = dir));

  describe('what is scanned', () => {
    it('skips node_modules and .git at any depth, scans dotfiles and dot-directories', () => {
      const values = { env: key(), config: key(), nm: key(), nested: key(), git: key() };
      write('.env', `K=${values.env}\n`);
      write('.config/tool/settings.json', `{"key": "${values.config}"}\n`);
      write('node_modules/pkg/index.js', `module.exports = "${values.nm}";\n`);
      write('packages/app/node_modules/x/y.js', `k = "${values.nested}"\n`);
      write('.git/config', `token = ${values.git}\n`);
      const run = cli(['scan', '-f', 'json'], tmp);
      assert.deepEqual(
        json(run).map((f) => f.path),
        ['.config/tool/settings.json', '.env'],
      );
    });

    it('scans a file given explicitly even inside node_modules or .git', () => {
      const value = key();
      write('node_modules/pkg/leak.js', `k = "${value}"\n`);
      write('.git/hooks/x.sh', `K=${value}\n`);
      const run = cli(['scan', '-f', 'json', 'node_modules/pkg/leak.js', '.git/hooks/x.sh'], tmp);
      assert.equal(run.status, 1);
      assert.deepEqual(
        json(run).map((f) => f.path),
        ['node_modules/pkg/leak.js', '.git/hooks/x.sh'],
      );
    });

    it('skips binaries (a NUL byte in the first 8 KB) but not text with a NUL further on', () => {
      const inBinary = key();
      const inText = key();
      write('image.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), Buffer.from(`k=${inBinary}`)]));
      write('late-nul.log', Buffer.concat([Buffer.from(`k=${inText}\n${'a'.repeat(9000)}`), Buffer.from([0])]));
      const run = cli(['scan', '-f', 'json'], tmp);
      assert.deepEqual(
        json(run).map((f) => [f.path, f.masked]),
        [['late-nul.log', maskKey(inText)]],
      );
      assert.match(cli(['scan'], tmp).stderr, /1 binary file skipped/);
    });

    it('honours ignore markers, and --no-ignore-markers reports those keys too', () => {
      const values = [key(), key(), key(), key()];
      const text = [
        `a = "${values[0]}" # claude-keys:ignore`,
        '# claude-keys:ignore-next-line',
        `b = "${values[1]}"`,
        `c = "${values[2]}" # gitleaks:allow`,
        `d = "${values[3]}"`,
        '',
      ].join('\n');
      write('fixtures.py', text);
      assert.deepEqual(json(cli(['scan', '-f', 'json'], tmp)), [expected('fixtures.py', text, values[3])]);
      assert.equal(json(cli(['scan', '-f', 'json', '--no-ignore-markers'], tmp)).length, 4);
    });

    it('ignores placeholders and bare prefixes', () => {
      write('README.md', `Set ANTHROPIC_API_KEY=${API_PREFIX}...\n\nexample: ${API_PREFIX}${'x'.repeat(93)}AA\n`);
      write('.env.example', `ANTHROPIC_API_KEY=${API_PREFIX}your-key-here\n`);
      assert.equal(cli(['scan'], tmp).status, 0);
    });

    it('does not follow directory symlinks (no loop) but scans symlinked files once per path', () => {
      const value = key();
      write('real/secret.env', `K=${value}\n`);
      fs.symlinkSync(tmp, path.join(tmp, 'real', 'loop'), 'dir');
      fs.symlinkSync(path.join(tmp, 'real', 'secret.env'), path.join(tmp, 'link.env'), 'file');
      fs.symlinkSync(path.join(tmp, 'nowhere'), path.join(tmp, 'dangling.env'), 'file');
      const run = cli(['scan', '-f', 'json'], tmp);
      assert.equal(run.status, 1);
      assert.deepEqual(
        json(run).map((f) => f.path),
        ['link.env', 'real/secret.env'],
      );
    });

    it('scans a path given twice only once', () => {
      const value = key();
      write('dup.env', `K=${value}\n`);
      assert.equal(json(cli(['scan', '-f', 'json', '.', 'dup.env', './dup.env'], tmp)).length, 1);
    });

    it('finds a key at the end of a large file and never reports a stale key from the reused buffer', () => {
      const value = key();
      const filler = 'const line = "some ordinary source text";\n'.repeat(80_000); // ~3.4 MB: the buffer grows
      const big = `${filler}const k = "${value}";\n`;
      write('a-big.ts', big);
      // Shorter file read into the same buffer next: the old key still sits in the buffer past its end.
      write('b-small.ts', `${filler.slice(0, big.indexOf(value) - 10)}`);
      write('c-tiny.ts', 'x\n');
      const run = cli(['scan', '-f', 'json'], tmp);
      assert.deepEqual(json(run), [expected('a-big.ts', big, value)]);
    });

    it('--jobs 2 reports exactly what --jobs 1 does, in the same order', () => {
      const texts: string[] = [];
      for (let i = 0; i < 60; i++) {
        const text = i % 7 === 0 ? `// file ${i}\nexport const k${i} = "${key()}";\n` : `// file ${i}\n${'let x = 1;\n'.repeat(500)}`;
        texts.push(text);
        write(`src/m${String(i).padStart(2, '0')}/f.ts`, text);
      }
      write('blob.bin', Buffer.from([0, 1, 2, 3]));
      const one = cli(['scan', '-f', 'json', '--jobs', '1'], tmp);
      const two = cli(['scan', '-f', 'json', '--jobs', '2'], tmp);
      const four = cli(['scan', '-f', 'json', '-j', '4'], tmp);
      assert.equal(one.status, 1);
      assert.equal(json(one).length, 9);
      assert.equal(two.stdout, one.stdout);
      assert.equal(four.stdout, one.stdout);
      assert.equal(two.status, 1);
      const text = cli(['scan', '--jobs', '2'], tmp);
      assert.match(text.stderr, /found 9 credentials in 9 files; 60 files scanned.*1 binary file skipped/);
    });
  });
});
