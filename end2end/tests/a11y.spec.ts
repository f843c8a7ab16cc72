// Automated accessibility check (axe-core) of every page with the real
// data ingested: no serious or critical violation.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { waitForHydration } from './support';
import { dataURL } from '../playwright.config';

test.use({ baseURL: dataURL });
// axe walks every node: on /uf/SP (645 city outlines) that alone takes about
// 20 s on two busy cores, close to the default 30 s.
test.setTimeout(90_000);

// The sign-in page is server-rendered only: nothing to wait for.
for (const path of ['/', '/?metric=icu_covid', '/?metric=srag_trend', '/?territory=nordeste', '/uf/SP', '/municipio/3548500', '/dados', '/hospitais', '/?lang=en', '/entrar?erro=1']) {
  test(`no serious accessibility violation on ${path}`, async ({ page }) => {
    await page.goto(path);
    if (!path.startsWith('/entrar')) await waitForHydration(page);
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
    expect(serious).toEqual([]);
  });
}
