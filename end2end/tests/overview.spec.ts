// The first page: rendered on the server, hydrated in the browser, honest
// about missing data, and switching language without a page load.
import { expect, test } from '@playwright/test';
import { watchConsole, waitForHydration } from './support';

test('the overview says plainly that no data is loaded yet, per source', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Visão geral');
  await expect(page.getByRole('heading', { name: 'Ainda não há dados carregados' })).toBeVisible();
  const rows = page.locator('tbody tr');
  expect(await rows.count()).toBeGreaterThanOrEqual(4);
  for (const row of await rows.all()) {
    await expect(row.locator('.badge')).toHaveText('Pendente');
    await expect(row.locator('.detail')).toHaveText('Ainda não coletada');
  }
  await waitForHydration(page);
  await page.screenshot({ path: `screenshots/overview-${test.info().project.name}.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('hydration makes the language switch work without a page load', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/');
  await waitForHydration(page);
  // A marker that a full page load would wipe out.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
  await expect(page).toHaveURL(/\?lang=en$/);
  await expect(page.getByRole('heading', { name: 'No data loaded yet' })).toBeVisible();
  await expect(page.locator('tbody tr .badge').first()).toHaveText('Pending');
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  await page.screenshot({ path: `screenshots/overview-en-${test.info().project.name}.png`, fullPage: true });

  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Visão geral');
  expect(errors).toEqual([]);
});

test('a shared English URL renders in English on the server', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/?lang=en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
  await context.close();
});

test('the page never scrolls sideways', async ({ page }) => {
  await page.goto('/');
  await waitForHydration(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('“Copiar link” copies the address with its filters and says so', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/?ordem=name');
  await waitForHydration(page);
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(/lang=en/);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.locator('.copy-status')).toHaveText('Link copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url());
  expect(page.url()).toMatch(/ordem=name.*lang=en|lang=en.*ordem=name/);
  await expect(page.locator('.copy-status')).toHaveText('', { timeout: 5000 });
});
