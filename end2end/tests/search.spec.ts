// The search box atop every data page: a GET form to /busca that finds a state or a city by
// the start of its name (or of one of its words), accents and case aside.
import { expect, test } from '@playwright/test';
import { waitForHydration, watchConsole } from './support';
import { dataURL } from '../playwright.config';

test.use({ baseURL: dataURL });

test('the search finds São Paulo typed any way, the state first, then the city', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/');
  await waitForHydration(page);
  await page.getByRole('searchbox', { name: 'UF ou município' }).fill('sao paulo');
  await page.getByRole('searchbox', { name: 'UF ou município' }).press('Enter');
  await expect(page).toHaveURL(/\/busca\?q=sao\+paulo/);
  for (const query of ['sao paulo', 'São Paulo', '  SÃO   paulo ']) {
    await page.goto(`/busca?q=${encodeURIComponent(query)}`);
    const links = page.locator('.found a');
    await expect(links.nth(0), query).toHaveText('São Paulo');
    await expect(links.nth(0), query).toHaveAttribute('href', '/uf/SP');
    await expect(links.nth(1), query).toHaveText('São Paulo');
    await expect(links.nth(1), query).toHaveAttribute('href', '/municipio/3550308');
  }
  // A word inside a name matches too; the most populous city comes first.
  await page.goto('/busca?q=campos');
  await expect(page.locator('.found a').first()).toHaveText('Campos dos Goytacazes');
  await expect(page.locator('.found li', { hasText: 'São José dos Campos' })).toHaveCount(1);
  // A place opens its page.
  await page.locator('.found a').first().click();
  await expect(page).toHaveURL(/\/municipio\/3301009/);
  expect(errors).toEqual([]);
});

test('the search says when a query is too short or finds nothing, and keeps the language', async ({ page }) => {
  await page.goto('/busca?q=s');
  await expect(page.locator('.notice')).toHaveText('Digite ao menos 2 letras do nome de uma UF ou de um município.');
  await page.goto('/busca?q=zzzz');
  await expect(page.locator('.notice')).toContainText('“zzzz”');
  await page.goto('/busca?q=rio&lang=en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Find a state or city');
  await expect(page.locator('.found a').first()).toHaveAttribute('href', /\?lang=en$/);
});
