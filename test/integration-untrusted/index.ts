import { runSuitesInHost } from '../integration/mochaInHost';

/** Entry point for the Restricted Mode run: the same host, a hostile workspace that is NOT trusted. */
export function run(): Promise<void> {
  return runSuitesInHost(__dirname);
}
