import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';

/** The live workbench page the e2e harness hands to the tests before mocha runs them. */
export interface WorkbenchSession {
  readonly page: Page;
  readonly screenshotsDir: string;
  /** The loopback Claude API the workbench's claudeKeys.apiBaseUrl points at. */
  readonly fake: FakeAnthropicApi;
  /** The folder open in the workbench. */
  readonly workspace: string;
  /** Secrets the harness looks for in every file under the server's state after it stops. */
  readonly mustNotBeOnDisk: string[];
}

let current: WorkbenchSession | undefined;
let step = 0;

export function setSession(session: WorkbenchSession | undefined): void {
  current = session;
  step = 0;
}

export function session(): WorkbenchSession {
  if (!current) {
    throw new Error('no workbench session: run the e2e layer through the harness (npm run test:e2e)');
  }
  return current;
}

/** One screenshot per step, numbered in the order taken. */
export async function screenshot(name: string): Promise<string> {
  const { page, screenshotsDir } = session();
  step++;
  const file = path.join(screenshotsDir, `e2e-${String(step).padStart(2, '0')}-${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
  fs.mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: file });
  return file;
}

export function statusBarItem(page: Page): Locator {
  return page.locator('#workbench\\.parts\\.statusbar .statusbar-item').filter({ hasText: /Claude:/ });
}

export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

/** F1, type the command's title, run it. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = quickInput(page).locator('input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await quickInput(page).locator('.monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}
