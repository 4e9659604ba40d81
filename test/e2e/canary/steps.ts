import type { FrameLocator, Locator, Page } from 'playwright-core';
import { quickInput } from '../workbench';

/** UI steps the canary run repeats, on its own page (not the shared e2e session's). */

/** The extension's status bar item ("Claude: …", or "Claude (name): …" once keys have names). */
export function claudeStatus(page: Page, text: RegExp): Locator {
  return page.locator('#workbench\\.parts\\.statusbar .statusbar-item').filter({ hasText: /Claude( \([^)]*\))?:/ }).filter({ hasText: text });
}

export function toast(page: Page, text: string | RegExp): Locator {
  return page.locator('.notification-toast').filter({ hasText: text });
}

/** A notification with this text: as a toast, or (when the toast already hid itself under load) in the notification center. */
export async function waitForToast(page: Page, text: string | RegExp, timeout = 15_000): Promise<string> {
  const found = toast(page, text).last();
  try {
    await found.waitFor({ state: 'visible', timeout });
    return await found.innerText();
  } catch (error) {
    await runTitled(page, 'Notifications: Show Notifications');
    const listed = page.locator('.notifications-center .monaco-list-row').filter({ hasText: text }).last();
    await listed.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => {
      throw error;
    });
    const shown = await listed.innerText();
    await page.keyboard.press('Escape');
    return shown;
  }
}

/** Clears every notification so the next wait sees only new ones. */
export async function clearNotifications(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await runTitled(page, 'Notifications: Clear All Notifications');
  await page.locator('.notification-toast').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
}

/**
 * F1, type the command's title, run the row with exactly that title. Tried again when the palette
 * closes under it (a webview or a restored terminal taking focus right after a reload).
 */
export async function runTitled(page: Page, title: string): Promise<void> {
  const input = quickInput(page).locator('input');
  for (let attempt = 1; ; attempt++) {
    try {
      // Keys pressed while a webview or the terminal has focus may not reach the workbench: take focus back first.
      await page.evaluate('document.activeElement && document.activeElement.tagName !== "BODY" && document.activeElement.closest(".quick-input-widget") === null && document.activeElement.blur()');
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 3_000 });
      await input.fill(`>${title}`, { timeout: 3_000 });
      await quickInput(page).locator('.monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await page.keyboard.press('Enter');
      return;
    } catch (error) {
      if (attempt === 4) {
        throw error;
      }
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
    }
  }
}

export function passwordBox(page: Page): Locator {
  return quickInput(page).locator('input[type="password"]');
}

export function textBox(page: Page): Locator {
  return quickInput(page).locator('input:not([type="password"])').first();
}

/** The modal dialog, once it shows text matching `text`. */
export async function dialog(page: Page, text: string | RegExp): Promise<Locator> {
  const box = page.locator('.monaco-dialog-box').filter({ hasText: text });
  await box.waitFor({ state: 'visible' });
  return box;
}

/** The prompt panel's page inside its two webview frames. */
export function panel(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Opens a workspace file through Go to File and waits for its text. */
export async function openFile(page: Page, name: string, contains: string): Promise<void> {
  await page.keyboard.press('Escape');
  await runTitled(page, 'Go to File...');
  await page.keyboard.type(name);
  await quickInput(page).locator('.monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-lines').filter({ hasText: contains }).first().waitFor();
}

/** Sends a prompt from the panel and waits until it ends (Done or an error). */
export async function sendFromPanel(page: Page, prompt: string, until: RegExp): Promise<void> {
  await panel(page).locator('#prompt').fill(prompt);
  await panel(page).locator('#send').click();
  await panel(page).locator('#status').filter({ hasText: until }).waitFor({ timeout: 30_000 });
}

/**
 * openExternal in code-server asks before opening a site: answer Cancel, so the run stays offline.
 * Resolves whether or not the question came.
 */
export async function declineExternalLink(page: Page): Promise<boolean> {
  const question = page.locator('.monaco-dialog-box').filter({ hasText: /open the external website|console\.anthropic\.com/ });
  try {
    await question.waitFor({ state: 'visible', timeout: 5_000 });
  } catch {
    return false;
  }
  await question.getByRole('button', { name: 'Cancel' }).click();
  return true;
}
