import { FakeAnthropicApi } from './fakeAnthropicApi';

/**
 * Offline demo backend: node out/test/fakes/fakeAnthropicApiMain.js [--port N] [--accept-any-key]
 * With --accept-any-key every well-formed API key is active and every well-formed admin key is an admin.
 */
function parseArgs(argv: readonly string[]): { port: number; acceptAnyWellFormedKey: boolean } {
  let port = 0;
  let acceptAnyWellFormedKey = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--accept-any-key') {
      acceptAnyWellFormedKey = true;
    } else if (arg === '--port' || arg.startsWith('--port=')) {
      const value = arg === '--port' ? argv[++i] : arg.slice('--port='.length);
      port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error(`--port needs a number from 0 to 65535, got ${value}`);
      }
    } else {
      throw new Error(`unknown argument ${arg}; usage: fakeAnthropicApiMain [--port N] [--accept-any-key]`);
    }
  }
  return { port, acceptAnyWellFormedKey };
}

async function main(): Promise<void> {
  const fake = await FakeAnthropicApi.start(parseArgs(process.argv.slice(2)));
  console.log(`Fake Anthropic API listening on ${fake.url}`);
  const stop = (): void => {
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
