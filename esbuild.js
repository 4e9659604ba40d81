// Bundles the extension host code (node, cjs, `vscode` external), the CLI and the webview UI.
const path = require('node:path');
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/**
 * Code that activation must not pay for: each is its own bundle next to dist/extension.js, loaded by
 * a runtime require() on first use (esbuild splits code only for ESM; the extension host wants cjs).
 * Source file → output file name in dist/.
 */
const lazyChunks = {
  'src/api/sdk.ts': 'sdk.js',
  'src/prompt/promptPanel.ts': 'promptPanel.js',
  'src/onDemand.ts': 'onDemand.js',
  // The prompt runner, model list and palette prompts: loaded by the first prompt or panel.
  'src/prompt/prompting.ts': 'prompting.js',
  'src/usage/usagePanel.ts': 'usagePanel.js',
  // The usage ledger, pacing and budget: loaded by the start-up check after activation or the first call.
  'src/usage/usageService.ts': 'usageService.js',
  // What failed calls say: loaded by the first failure.
  'src/api/problemExplainer.ts': 'problems.js',
};

/**
 * The same for dist/cli.js: what a plain scan on one thread never compiles. Lazy for the CLI only:
 * the editor's Scan Git History bundles src/cli/history.ts into its own chunk.
 */
const cliLazyChunks = {
  // --verify and --identify (the SDK).
  'src/cli/verify.ts': 'cliVerify.js',
  'src/cli/history.ts': 'cliHistory.js',
  'src/cli/staged.ts': 'cliStaged.js',
  // --jobs above 1, and each worker thread.
  'src/cli/parallel.ts': 'cliParallel.js',
};

/**
 * Turns `require('./sdk')` in a loader into `require('./sdk.js')` of the chunk beside the bundle, and
 * refuses a static import of a lazy module (it would pull the chunk back into the bundle).
 */
const lazyChunksPlugin = (chunks) => {
  const lazyByPath = new Map(Object.entries(chunks).map(([source, out]) => [path.resolve(source), out]));
  return {
  name: 'lazy-chunks',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind === 'entry-point') {
        return undefined;
      }
      const out = lazyByPath.get(path.resolve(args.resolveDir, args.path) + '.ts');
      if (!out) {
        return undefined;
      }
      if (args.kind !== 'require-call') {
        return { errors: [{ text: `${args.path} is loaded lazily (dist/${out}): use \`import type\` and its loader, not an import` }] };
      }
      return { path: `./${out}`, external: true };
    });
  },
  };
};

/**
 * Every `import * as vscode from 'vscode'` resolves to one module that re-exports the API: esbuild
 * would otherwise wrap require('vscode') once per importing file, copying all ~450 API names each time.
 */
const vscodeOncePlugin = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

/** When Node starts and ends running dist/extension.js: the bench reads the difference (src/bundleTiming.ts). */
const loadMark = (name) => `var ${name} = { ms: performance.now(), cpu: process.cpuUsage() };`;

/** @type {import('esbuild').BuildOptions} */
const host = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [lazyChunksPlugin(lazyChunks), vscodeOncePlugin],
};

/** @type {import('esbuild').BuildOptions} */
const extensionHost = {
  ...host,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  // "use strict" first: a directive after the banner's statement would no longer make the bundle strict.
  banner: { js: `"use strict";\n${loadMark('CLAUDE_KEYS_BUNDLE_LOAD_START')}` },
  footer: { js: loadMark('CLAUDE_KEYS_BUNDLE_LOAD_END') },
};

/** The lazily loaded parts of the extension host. */
const lazyBuilds = Object.entries({ ...lazyChunks, ...cliLazyChunks }).map(([source, out]) => ({ ...host, entryPoints: [source], outfile: `dist/${out}` }));

/** The scan CLI: the same detector, no vscode, for pre-commit hooks and CI. */
/** @type {import('esbuild').BuildOptions} */
const cli = {
  ...host,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli.js',
  external: [],
  plugins: [lazyChunksPlugin(cliLazyChunks)],
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

/** The Show Usage panel's UI, with Chart.js bundled in (no CDN): its own bundle, dist/usage.js and .css. */
/** @type {import('esbuild').BuildOptions} */
const usageWebview = { ...webview, entryPoints: ['src/webview-ui/usage/main.ts'], outfile: 'dist/usage.js' };

async function main() {
  const builds = [extensionHost, ...lazyBuilds, cli, webview, usageWebview];
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
  const names = builds.map((options) => options.outfile).join(', ');
  console.log(`[esbuild] built ${names}${production ? ' (production)' : ''} in ${Date.now() - started} ms`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
