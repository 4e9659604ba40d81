import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { REPO_ROOT } from '../harness/tools';

/** The live workbench page the e2e harness hands to the tests before mocha runs them. */
export interface WorkbenchSession {
  readonly page: Page;
  readonly screenshotsDir: string;
  /** The loopback Claude API the workbench's claudeKeys.apiBaseUrl points at. */
  readonly fake: FakeAnthropicApi;
  /** The folder open in the workbench. */
  readonly workspace: string;
  /** Screenshot file names start with this (default `e2e`). */
  readonly prefix?: string;
  /** The server's extensions folder (the vsix layer checks what was installed there). */
  readonly extensionsDir?: string;
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
  const { page, screenshotsDir, prefix = 'e2e' } = session();
  step++;
  const file = path.join(screenshotsDir, `${prefix}-${String(step).padStart(2, '0')}-${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
  fs.mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: file });
  return file;
}

/** README and walkthrough pictures: kept small, refreshed in media/ by `npm run screenshots`. */
const PICTURES_DIR = path.join(REPO_ROOT, 'media', 'getting-started');
const MAX_PICTURE_BYTES = 100 * 1024;

/**
 * A picture of the smallest area holding every box (plus `padding`), saved next to the step
 * screenshots; with CLAUDE_KEYS_SCREENSHOTS=1 it also replaces media/getting-started/<name>.png.
 */
export async function picture(name: string, boxes: Locator[], padding = 12): Promise<string> {
  const { page, screenshotsDir, prefix = 'e2e' } = session();
  const rects = (await Promise.all(boxes.map((box) => box.boundingBox()))).filter((r) => r !== null);
  if (rects.length === 0) {
    throw new Error(`picture ${name}: nothing to frame`);
  }
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  const left = Math.max(0, Math.floor(Math.min(...rects.map((r) => r.x)) - padding));
  const top = Math.max(0, Math.floor(Math.min(...rects.map((r) => r.y)) - padding));
  const right = Math.min(viewport.width, Math.ceil(Math.max(...rects.map((r) => r.x + r.width)) + padding));
  const bottom = Math.min(viewport.height, Math.ceil(Math.max(...rects.map((r) => r.y + r.height)) + padding));
  const file = path.join(screenshotsDir, `${prefix}-picture-${name}.png`);
  fs.mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: file, clip: { x: left, y: top, width: right - left, height: bottom - top } });
  if (process.env.CLAUDE_KEYS_SCREENSHOTS === '1') {
    const size = fs.statSync(file).size;
    if (size > MAX_PICTURE_BYTES) {
      throw new Error(`picture ${name} is ${Math.round(size / 1024)} KB; frame less (limit ${MAX_PICTURE_BYTES / 1024} KB)`);
    }
    fs.mkdirSync(PICTURES_DIR, { recursive: true });
    fs.copyFileSync(file, path.join(PICTURES_DIR, `${name}.png`));
    console.log(`      picture: media/getting-started/${name}.png (${right - left}×${bottom - top}, ${Math.round(size / 1024)} KB)`);
  }
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
  const input = quickInput(page).locator('input');
  const row = quickInput(page).locator('.monaco-list-row', { hasText: title }).first();
  // Focus that moves just then (an editor closing, a webview or the walkthrough taking it) closes
  // the palette or swallows F1: start again, at most three times.
  for (let attempt = 1; ; attempt++) {
    const last = attempt >= 3;
    try {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: last ? undefined : 3_000 });
      await input.fill(`>${title}`, { timeout: last ? undefined : 3_000 });
      await row.waitFor({ state: 'visible', timeout: last ? undefined : 5_000 });
      break;
    } catch (error) {
      if (last) {
        throw error;
      }
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
}
