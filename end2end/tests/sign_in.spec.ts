// The sign-in page in the browser: reached from the header, a wrong
// password says so (in pt-BR) and keeps the page asked for.
import { expect, test } from '@playwright/test';
import { watchConsole, waitForHydration } from './support';

test('the header leads to the sign-in page, which refuses a wrong password', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/dados');
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Entrar' }).click();
  await expect(page).toHaveURL(/\/entrar\?destino=%2Fdados$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Entrar no Sentinela');
  await page.getByLabel('Usuário').fill('ninguem');
  await page.getByLabel('Senha').fill('uma senha qualquer');
  await page.getByRole('button', { name: 'Entrar' }).click();
  await expect(page).toHaveURL(/\/entrar\?erro=1&destino=%2Fdados$/);
  await expect(page.getByRole('alert')).toHaveText('Usuário ou senha incorretos.');
  await page.screenshot({ path: `screenshots/sign-in-${test.info().project.name}.png`, fullPage: true });
  expect(errors).toEqual([]);
});
