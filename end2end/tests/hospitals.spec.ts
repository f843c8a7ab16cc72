// The hospitals' list (/hospitais) with the real data ingested: rendered on
// the server, filtered, sorted and paged in the URL, its rows the API's, its
// visit list (the API's CSV) the same page; a hospital's link, and the
// state page's top ten.
import { expect, test } from '@playwright/test';
import { watchConsole, waitForHydration } from './support';
import { dataURL } from '../playwright.config';

test.use({ baseURL: dataURL });

type Row = { cnes: string; uf: string; rate: number | null; change_7d: number | null; status: string };

const api = async (page: import('@playwright/test').Page, query: string): Promise<Row[]> =>
  (await (await page.request.get(`/api/v1/hospitals?${query}`)).json()).rows;

const codes = (page: import('@playwright/test').Page) =>
  page.locator('table.hospitals tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-cnes')));

// The table lists `rows`, in their order. A filter changes the URL first and
// the list when its answer arrives: wait for the new first row, then compare.
const shows = async (page: import('@playwright/test').Page, rows: Row[]) => {
  const table = page.locator('table.hospitals tbody tr');
  await expect(table.first()).toHaveAttribute('data-cnes', rows[0].cnes);
  await expect(table).toHaveCount(rows.length);
  expect(await codes(page)).toEqual(rows.map((r) => r.cnes));
};

test('the list filters by state in the URL, its rows the API’s, stale hospitals marked', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/hospitais');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hospitais');
  expect(await codes(page)).toEqual((await api(page, '')).map((r) => r.cnes));

  await page.locator('select[name="uf"]').selectOption('SP');
  await page.getByRole('button', { name: 'Aplicar' }).click();
  await expect(page).toHaveURL(/\/hospitais\?(territory=&)?uf=SP/);
  const sp = await api(page, 'uf=SP');
  await shows(page, sp);
  await expect(page.locator('table.hospitals tbody tr td:nth-child(3)').first()).toHaveText('SP');
  await expect(page).toHaveTitle('Hospitais — São Paulo · Sentinela');

  // The next page keeps the filter; a stale hospital is listed, marked.
  await page.getByRole('link', { name: 'Próxima →' }).click();
  await expect(page).toHaveURL(/uf=SP.*pagina=2/);
  await shows(page, await api(page, 'uf=SP&page=2'));
  const stale = (await api(page, 'uf=SP&sort=size&page_size=1000')).filter((r) => r.status === 'stale');
  if (stale.length > 0) {
    await page.goto(`/hospitais?uf=SP&ordem=size&pagina=1`);
    const all = await api(page, 'uf=SP&sort=size&page_size=1000');
    const at = all.findIndex((r) => r.status === 'stale');
    await page.goto(`/hospitais?uf=SP&ordem=size&pagina=${Math.floor(at / 50) + 1}`);
    await expect(page.locator(`tr[data-cnes="${all[at].cnes}"] .badge`)).toHaveText('desatualizado');
  }
  expect(errors).toEqual([]);
});

test('the overview’s territories open their list, which a state then narrows', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/');
  await waitForHydration(page);
  const territories = page.locator('section.territories');
  await expect(territories.getByRole('heading', { level: 2 })).toHaveText('Territórios de vendas');
  await expect(territories.locator('tbody tr')).toHaveCount(5);
  await expect(territories.locator('tr[data-territory="sudeste"] td').nth(2)).toContainText('%');
  // Its SRAG trend is the API's for the territory (its states summed).
  const trend = (await (await page.request.get('/api/v1/trends?territory=sudeste&measure=srag')).json()).rows[0];
  expect(trend.uf).toBe('sudeste');
  await expect(territories.locator('tr[data-territory="sudeste"] td[data-trend]')).toHaveAttribute('data-trend', trend.short_class);
  // Its download holds the same rows, in the Brazilian spreadsheet's dialect.
  const href = (await territories.locator('a.csv-link').getAttribute('href'))!;
  const csv = decodeURIComponent(href.slice(href.indexOf(',') + 1)).replace(/^\uFEFF/, '');
  const lines = csv.trim().split('\r\n');
  expect(lines).toHaveLength(6);
  expect(lines[0]).toMatch(/^slug;Território;População;/);
  const occupancy = (await territories.locator('tr[data-territory="sudeste"] td').nth(2).textContent())!.replace('%', '');
  expect(lines.find((l) => l.startsWith('sudeste;'))!.split(';')[4]).toBe(occupancy);
  await territories.getByRole('link', { name: 'Sudeste' }).click();
  await expect(page).toHaveURL(/\/hospitais\?territory=sudeste$/);
  await expect(page.locator('select[name="territory"]')).toHaveValue('sudeste');
  const region = await api(page, 'territory=sudeste');
  await shows(page, region);
  expect(region.every((r) => ['ES', 'MG', 'RJ', 'SP'].includes(r.uf))).toBe(true);
  // Each row draws its last four weeks.
  await expect(page.locator('table.hospitals svg.trend-line path').first()).toHaveAttribute('d', /^M\d+ [\d.]+(L\d+ [\d.]+)+/);

  await page.locator('select[name="uf"]').selectOption('RJ');
  await page.getByRole('button', { name: 'Aplicar' }).click();
  await expect(page).toHaveURL(/territory=sudeste.*uf=RJ/);
  const rio = await api(page, 'territory=sudeste&uf=RJ');
  await shows(page, rio);
  expect(rio.every((r) => r.uf === 'RJ')).toBe(true);
  // A state outside the territory lists nothing, and says so.
  await page.goto('/hospitais?territory=sul&uf=RJ');
  await expect(page.locator('p.notice')).toHaveText('Nenhum hospital com esses filtros.');
  expect(errors).toEqual([]);
});

test('the overview by territory lists, maps and ranks only its places, and keeps it on the way', async ({ page }) => {
  const errors = watchConsole(page);
  const northeast = ['AL', 'BA', 'CE', 'MA', 'PB', 'PE', 'PI', 'RN', 'SE'];
  await page.goto('/');
  await waitForHydration(page);
  await page.getByRole('navigation', { name: 'Território' }).getByRole('link', { name: 'Nordeste' }).click();
  await expect(page).toHaveURL(/\?territory=nordeste$/);
  const board = page.locator('section.state-board tbody tr');
  await expect(board).toHaveCount(northeast.length);
  expect((await board.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-uf')))).sort()).toEqual(northeast);
  // The other states are drawn for context, without a value.
  await expect(page.locator('.map path[data-uf="SP"]')).toHaveClass(/outside/);
  await expect(page.locator('.map path[data-uf="SP"]')).toHaveAttribute('aria-label', 'São Paulo (SP): fora do território');
  await expect(page.locator('.map path[data-uf="BA"]')).not.toHaveClass(/outside/);
  // The rankings are the API's for the territory.
  const ranked = (await (await page.request.get('/api/v1/rankings?scope=city&territory=nordeste&limit=10')).json()).rows;
  const shown = page.locator('.rankings section').first().locator('tbody tr');
  await expect(shown).toHaveCount(10);
  for (const [i, row] of ranked.entries()) {
    await expect(shown.nth(i)).toContainText(`${row.name} (${row.uf})`);
  }
  await expect(page.locator('section.trends tbody tr')).toHaveCount(northeast.length);
  await expect(page.locator('section.territories tr[data-territory="nordeste"]')).toHaveAttribute('aria-current', 'true');
  // The territory's own cards come first: its figures as its table row says them.
  const cards = page.locator('section.territory-kpis');
  await expect(cards.getByRole('heading', { level: 2 }).first()).toHaveText('Território: Nordeste');
  const row = page.locator('section.territories tr[data-territory="nordeste"] td');
  await expect(cards.locator('.kpi-value').nth(0)).toHaveText((await row.nth(1).textContent())!);
  await expect(cards.locator('.kpi-value').nth(1)).toHaveText((await row.nth(2).textContent())!);
  const trend = (await (await page.request.get('/api/v1/trends?territory=nordeste&measure=srag')).json()).rows[0];
  await expect(cards.locator('.kpi-value').nth(2)).toHaveText(
    { aumento: 'aumento', provavel_aumento: 'provável aumento', estavel: 'estável', provavel_queda: 'provável queda', queda: 'queda' }[trend.short_class as string]!,
  );
  // A state opens with the territory kept, and the way back keeps it too.
  await board.first().getByRole('link').click();
  await expect(page).toHaveURL(/\/uf\/[A-Z]{2}\?territory=nordeste$/);
  await page.locator('p.breadcrumb a').click();
  await expect(page).toHaveURL(/\/\?territory=nordeste$/);
  await expect(board).toHaveCount(northeast.length);
  await page.getByRole('navigation', { name: 'Território' }).getByRole('link', { name: 'Todos' }).click();
  await expect(board).toHaveCount(27);
  await expect(page.locator('section.territory-kpis')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a city’s page links to its hospitals, a filter the list keeps and can drop', async ({ page }) => {
  await page.goto('/municipio/3550308');
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Hospitais do município' }).click();
  await expect(page).toHaveURL(/\/hospitais\?city=3550308$/);
  const city = await api(page, 'city=3550308');
  expect(city.length).toBeGreaterThan(10);
  await shows(page, city);
  await expect(page.locator('.chosen-city')).toContainText('São Paulo');
  await page.locator('select[name="ordem"]').selectOption('size');
  await page.getByRole('button', { name: 'Aplicar' }).click();
  await expect(page).toHaveURL(/city=3550308.*ordem=size/);
  await expect(page.locator('th[aria-sort="descending"]')).toHaveText('Leitos de UTI');
  await shows(page, await api(page, 'city=3550308&sort=size'));
  await page.locator('.chosen-city a').click();
  await expect(page).not.toHaveURL(/city=/);
  await expect(page).toHaveURL(/ordem=size/);
  await expect(page.locator('.chosen-city')).toHaveCount(0);
  await shows(page, await api(page, 'sort=size'));
});

test('the list sorts by the 7-day change, most first', async ({ page }) => {
  await page.goto('/hospitais?uf=RJ');
  await waitForHydration(page);
  await page.locator('select[name="ordem"]').selectOption('change');
  await page.getByRole('button', { name: 'Aplicar' }).click();
  await expect(page).toHaveURL(/ordem=change/);
  const rows = await api(page, 'uf=RJ&sort=change');
  await expect(page.locator('table.hospitals tbody tr').first()).toHaveAttribute('data-cnes', rows[0].cnes);
  expect(await codes(page)).toEqual(rows.map((r) => r.cnes));
  const changes = rows.map((r) => r.change_7d).filter((c): c is number => c !== null);
  expect(changes).toEqual([...changes].sort((a, b) => b - a));
  await expect(page.locator('th[aria-sort="descending"]')).toHaveText('Variação em 7 dias');
});

test('a hospital opens from the list, and back returns to the list', async ({ page }) => {
  await page.goto('/hospitais?uf=SP');
  await waitForHydration(page);
  const first = page.locator('table.hospitals tbody tr').first();
  const cnes = await first.getAttribute('data-cnes');
  await first.locator('th a').click();
  await expect(page).toHaveURL(new RegExp(`/hospital/${cnes}$`));
  await page.goBack();
  await expect(page).toHaveURL(/\/hospitais\?uf=SP$/);
  await expect(page.locator('table.hospitals tbody tr').first()).toHaveAttribute('data-cnes', cnes!);
});

test('the visit list (CSV) holds the rows of the table', async ({ page }) => {
  await page.goto('/hospitais?uf=MG&min_beds=10&ordem=size&pagina=2');
  await waitForHydration(page);
  const link = page.getByRole('link', { name: 'Baixar lista de visitas (CSV)' });
  const href = await link.getAttribute('href');
  expect(href).toBe('/api/v1/hospitals?uf=MG&bed_class=icu&sort=size&page=2&page_size=50&min_beds=10&format=csv&dialect=excel-br');
  // The Brazilian Excel's dialect: a byte-order mark, semicolons.
  const bytes = await (await page.request.get(href!)).body();
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
  const header = lines[0].split(';');
  const at = header.indexOf('cnes');
  expect(at).toBeGreaterThanOrEqual(0);
  expect(lines.slice(1).map((l) => l.split(';')[at])).toEqual(await codes(page));

  // In English, the RFC 4180 dialect.
  await page.goto('/hospitais?uf=MG&lang=en');
  await expect(page.getByRole('link', { name: 'Download the visit list (CSV)' })).toHaveAttribute(
    'href',
    '/api/v1/hospitals?uf=MG&bed_class=icu&sort=pressure&page=1&page_size=50&format=csv',
  );
});

test('the state page names its ten hospitals under most pressure and links to its list', async ({ page }) => {
  await page.goto('/uf/SP');
  await waitForHydration(page);
  const section = page.locator('.top-hospitals');
  await expect(section.locator('h2')).toHaveText('Hospitais sob maior pressão');
  const top = await api(page, 'uf=SP&page_size=10');
  expect(
    await section.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-cnes'))),
  ).toEqual(top.map((r) => r.cnes));
  await section.getByRole('link', { name: 'Todos os hospitais de São Paulo' }).click();
  await expect(page).toHaveURL(/\/hospitais\?uf=SP$/);
});

test('the list and the territories never scroll sideways, nor do their tables', async ({ page }) => {
  // The table's own scroll box: its key columns must be in view without it.
  const tableOverflow = (selector: string) =>
    page.locator(selector).evaluate((box) => box.scrollWidth - box.clientWidth);
  await page.goto('/hospitais?territory=sudeste');
  await expect(page.locator('table.hospitals')).toBeVisible();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  expect(await tableOverflow('.table-scroll:has(table.hospitals)')).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `screenshots/hospitals-${test.info().project.name}.png`, fullPage: true });
  await page.goto('/');
  expect(await tableOverflow('section.territories .table-scroll')).toBeLessThanOrEqual(0);
});

test('bad filters fall back to the defaults, never an error', async ({ page }) => {
  for (const query of ['uf=XX', 'min_beds=-1', 'ordem=%3Cb%3E', 'pagina=0', 'pagina=99999', 'bed_class=zzz']) {
    const answer = await page.goto(`/hospitais?${query}`);
    expect(answer?.status()).toBe(200);
  }
});

test('a hospital’s page draws its occupancy and beds, names its city’s others; an unknown or malformed code is the 404 page', async ({ page }) => {
  const errors = watchConsole(page);
  const [first] = (await (await page.request.get('/api/v1/hospitals?uf=SP&page_size=1')).json()).rows;
  const answer = await page.goto(`/hospital/${first.cnes}`);
  expect(answer?.status()).toBe(200);
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(first.name.trim() || first.cnes);
  await expect(page.locator('[data-chart="occupancy"] .chart svg')).toHaveCount(1);
  await expect(page.locator('[data-chart="beds"] .chart svg')).toHaveCount(1);
  await expect(page.getByRole('heading', { name: 'Outros hospitais do município' })).toBeVisible();
  await page.screenshot({ path: `screenshots/hospital-${test.info().project.name}.png`, fullPage: true });
  expect(errors).toEqual([]);
  for (const bad of ['0000000', '12.34', 'a'.repeat(30), '%3Cscript%3E']) {
    const refused = await page.goto(`/hospital/${bad}`);
    expect(refused?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Página não encontrada');
  }
});
