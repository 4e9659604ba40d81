import { hostSuite, type Host } from './hostSuite';
import type { RecordedMessage } from './scriptedInteraction';

/** What the key lifecycle suites (lifecycle*.test.ts) share. */

/** How the extension shows an API key: its prefix and last four characters. */
export const masked = (key: string): string => `sk-ant-api03-…${key.slice(-4)}`;

const MODELS = [
  { id: 'claude-test-a', display_name: 'Claude Test A', created_at: '2026-01-01T00:00:00Z' },
  { id: 'claude-test-b', display_name: 'Claude Test B', created_at: '2026-02-01T00:00:00Z' },
  { id: 'claude-test-c', display_name: 'Claude Test C', created_at: '2026-03-01T00:00:00Z' },
];

/**
 * hostSuite (`take` as there) with three known models on the fake and a 15 s live check before every
 * test. Returns the last message shown to the current test's user.
 */
export function lifecycleSuite(take: (host: Host) => void): () => RecordedMessage {
  let host: Host;
  hostSuite((h) => {
    host = h;
    take(h);
  });

  beforeEach(() => {
    host.fake.setModels(MODELS);
    host.api.services.client.checkTimeoutMs = 15_000;
  });

  return () => host.user.messages[host.user.messages.length - 1];
}
