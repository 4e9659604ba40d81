import type { Page } from 'playwright-core';
import { launchChromium } from './browser';

export interface ProbeResult {
  /** The text of the extension's status bar item, e.g. "Claude: no key". */
  readonly statusBarText: string;
  readonly millis: number;
}

/** The extension's status bar item: the host only starts when a workbench connects, so it proves activation. */
export function claudeStatusItem(page: Page): ReturnType<Page['locator']> {
  return page.locator('#workbench\\.parts\\.statusbar .statusbar-item').filter({ hasText: /Claude:/ });
}

/**
 * Loads `url` in a fresh headless Chromium and waits until the workbench is up and the extension's
 * status bar item shows. Throws with what was missing when it does not happen within `timeoutMs`.
 */
export async function probeWorkbench(url: string, timeoutMs = 90_000, screenshot?: string): Promise<ProbeResult> {
  const started = Date.now();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const response = await page.goto(url, { timeout: timeoutMs });
    if (!response?.ok()) {
      throw new Error(`the workbench answered ${response?.status() ?? 'nothing'} at ${url}`);
    }
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs }).catch(() => {
      throw new Error(`no workbench appeared at ${url} within ${timeoutMs / 1000} s`);
    });
    const item = claudeStatusItem(page);
    await item.first().waitFor({ state: 'visible', timeout: timeoutMs - (Date.now() - started) }).catch(() => {
      throw new Error(`the workbench loaded but the Claude Keys status bar item did not appear within ${timeoutMs / 1000} s: the extension did not activate`);
    });
    if (screenshot) {
      await page.screenshot({ path: screenshot });
    }
    return { statusBarText: (await item.first().innerText()).trim(), millis: Date.now() - started };
  } finally {
    await browser.close().catch(() => undefined);
  }
}
