import { probeWorkbench } from './startProbe';

/**
 * CI's check of `npm start`: node out/test/harness/checkStart.js URL [screenshot.png]
 * Loads the URL that `npm start` printed in Chromium and checks the extension's status bar item.
 */
async function main(): Promise<void> {
  const [url, screenshot] = process.argv.slice(2);
  if (!url) {
    throw new Error('usage: checkStart.js URL [screenshot.png]');
  }
  const result = await probeWorkbench(url, 120_000, screenshot);
  console.log(`[check-start] status bar item "${result.statusBarText}" shown ${(result.millis / 1000).toFixed(1)} s after loading ${url}`);
}

main().catch((error: unknown) => {
  console.error(`[check-start] FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
