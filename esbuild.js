// Bundles the extension host code into dist/extension.js (node, cjs, `vscode` external).
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const extensionHost = {
  entryPoints: ['src/extension.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/extension.js',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
};

/** The scan CLI: the same detector, no vscode, for pre-commit hooks and CI. */
/** @type {import('esbuild').BuildOptions} */
const cli = {
  ...extensionHost,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli.js',
  external: [],
  banner: { js: '#!/usr/bin/env node' },
};

/** The prompt panel's UI: browser code, no Node, no vscode module, never the key. */
/** @type {import('esbuild').BuildOptions} */
const webview = {
  entryPoints: ['src/webview-ui/main.ts'],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  outfile: 'dist/webview.js',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  loader: { '.ttf': 'file' },
  assetNames: '[name]',
  logLevel: 'warning',
  tsconfig: 'src/webview-ui/tsconfig.json',
};

async function main() {
  const builds = [extensionHost, cli, webview];
  if (watch) {
    for (const options of builds) {
      const ctx = await esbuild.context(options);
      await ctx.watch();
    }
    console.log('[esbuild] watching');
    return;
  }
  const started = Date.now();
  await Promise.all(builds.map((options) => esbuild.build(options)));
  console.log(`[esbuild] built dist/extension.js, dist/cli.js and dist/webview.js${production ? ' (production)' : ''} in ${Date.now() - started} ms`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
