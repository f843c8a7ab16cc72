// Dados e qualidade: the sources' freshness and the last ingest run's
// figures per source and stage, after ingesting ../shared/data.
import { expect, test } from '@playwright/test';
import { dataURL } from '../playwright.config';

test.use({ baseURL: dataURL });

test('the data page shows each source and the rows of each layer of the last run', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Dados e qualidade' }).click();
  await expect(page).toHaveURL(/\/dados/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dados e qualidade');
  // Collected, but its newest data is from 2022: the page says the source stopped.
  const cases = page.locator('tr[data-source="cases-states"]');
  await expect(cases.locator('.badge')).toHaveText('Sem atualização');
  await expect(cases.locator('.detail')).toHaveText('Dados de 24/04/2022: a fonte não é atualizada desde então');
  // A reference without dates is up to date.
  await expect(page.locator('tr[data-source="population"] .badge')).toHaveText('Em dia');

  // Two runs, newest first: the weekly SIVEP vintages of ../shared/history,
  // then all of ../shared/data, each ok.
  const runs = page.locator('.run');
  await expect(runs).toHaveCount(2);
  await expect(runs.nth(0).locator('h3 .badge')).toHaveText('ok');
  await expect(runs.nth(0).locator('tbody tr', { hasText: 'sivep-vintages' }).first()).toBeVisible();
  const run = runs.nth(1);
  await expect(run.locator('h3 .badge')).toHaveText('ok');
  // The states file has 21,658 rows (../shared/data/README.md), all parsed.
  const bronze = run.locator('tbody tr', { hasText: 'cases-states' }).filter({ hasText: 'bronze' });
  await expect(bronze.locator('td').nth(2)).toHaveText('21.658');
  await expect(run.locator('tbody tr', { hasText: 'gold geometry' })).toHaveCount(1);
  await page.screenshot({ path: `screenshots/quality-${test.info().project.name}.png`, fullPage: true });
});

test("the data page says, in plain words, how far the nowcast's estimates fell from the truth", async ({ page }) => {
  await page.goto('/dados');
  const panel = page.locator('[data-backtest]');
  await expect(panel.locator('h2')).toHaveText('Quão certa é a estimativa das internações');
  const said = await panel.locator('[data-backtest-nowcast]').textContent();
  const [error, naive, coverage] = [...said!.matchAll(/(\d+,\d)%/g)].map((m) => Number(m[1].replace(',', '.')));
  // The estimate of the week just ended beats the count so far, and its
  // 90 % interval holds the truth about as often as it says.
  expect(error).toBeLessThan(naive);
  expect(coverage).toBeGreaterThan(80);
  await expect(panel.locator('[data-backtest-outlook]')).toContainText('Duas semanas à frente');
  await expect(panel.locator('.covered')).toContainText('28/12/2020');
  await panel.locator('details summary').click();
  // Three measures: the week just ended to 5 weeks back, and 2 weeks ahead.
  await expect(panel.locator('tbody tr')).toHaveCount(3 * 8);
});
