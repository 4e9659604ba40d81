import { UsageLedger } from '../../src/usage/usageLedger';
import { usageRecord } from './usageFixtures';

/**
 * A second process writing to the same ledger (usageLedger.test.ts): argv = folder, writer id,
 * count. Appends as fast as it can, every record queued at once, like a busy window.
 */
async function main(): Promise<void> {
  const [folder, writer, count] = process.argv.slice(2);
  const ledger = new UsageLedger(folder);
  const writes: Array<Promise<void>> = [];
  for (let i = 0; i < Number(count); i++) {
    writes.push(ledger.append(usageRecord({ requestId: `${writer}-${i}`, keyName: writer })));
  }
  await Promise.all(writes);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
