// Helpers every spec shares.
import { expect, type Page } from '@playwright/test';

/** Collects console errors and uncaught exceptions; tests expect none. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** Waits until the page is hydrated (the app's marker, set in the browser). */
export async function waitForHydration(page: Page) {
  await expect(page.locator('[data-hydrated="true"]')).toHaveCount(1);
}
