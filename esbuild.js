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

async function main() {
  if (watch) {
    const ctx = await esbuild.context(extensionHost);
    await ctx.watch();
    console.log('[esbuild] watching');
    return;
  }
  const started = Date.now();
  await esbuild.build(extensionHost);
  console.log(`[esbuild] built dist/extension.js${production ? ' (production)' : ''} in ${Date.now() - started} ms`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
