import { runSuitesInHost } from './mochaInHost';

/** Entry point VS Code calls inside the extension host (extensionTestsPath): the trusted workspace. */
export function run(): Promise<void> {
  return runSuitesInHost(__dirname);
}
