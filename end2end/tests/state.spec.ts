// A state's page with the real data ingested: charts drawn on the server
// with the table behind each, figures equal to the API's, the period in the
// URL (presets and custom range, back and forward), a CSV of the table.
import { expect, test } from '@playwright/test';
import { pointInside, watchConsole, waitForHydration } from './support';
import { dataURL } from '../playwright.config';

test.use({ baseURL: dataURL });

const oneDecimal = (n: number) =>
  n.toLocaleString('pt-BR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const brDate = (iso: string) => iso.split('-').reverse().join('/');

test('the state page draws its series and the table behind each chart', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/uf/SP');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('São Paulo (SP)');
  for (const id of ['cases', 'deaths', 'occupancy', 'srag']) {
    await expect(page.locator(`[data-chart="${id}"] .chart svg`)).toHaveCount(1);
  }

  // The cases table equals the API's series for the same 90 days.
  const api = await (await page.request.get('/api/v1/cases/states?uf=SP')).json();
  const table = page.locator('[data-chart="cases"] tbody tr');
  await expect(table).toHaveCount(api.rows.length);
  const last = api.rows[api.rows.length - 1];
  const lastRow = table.last();
  await expect(lastRow.locator('th')).toHaveText(brDate(last.date));
  await expect(page.locator('[data-chart="cases"] .covered')).toHaveText(
    `Dados de ${brDate(api.rows[0].date)} – ${brDate(last.date)}`,
  );
  await expect(lastRow.locator('td').nth(0)).toHaveText(oneDecimal(last.new_cases));
  await expect(lastRow.locator('td').nth(1)).toHaveText(oneDecimal(last.new_cases_7d));

  // The CSV download holds exactly that table.
  const download = page.waitForEvent('download');
  await page.locator('[data-chart="cases"] details summary').click();
  await page.locator('[data-chart="cases"] .csv-link').click();
  const file = await (await download).path();
  const text = require('node:fs').readFileSync(file, 'utf8') as string;
  // The Brazilian Excel's dialect, as the API's excel-br (a byte-order mark,
  // semicolons, decimal commas), headers in the page's language, values
  // rounded as the page shows them; named for the place, the chart and its days.
  expect(text.startsWith('\uFEFFData;')).toBe(true);
  expect((await download).suggestedFilename()).toBe(`sentinela_SP_cases_${api.rows[0].date}_${last.date}.csv`);
  const lines = text.trim().split('\r\n');
  expect(lines.length).toBe(api.rows.length + 1);
  const csvNumber = (n: number) => n.toFixed(1).replace('.', ',');
  expect(lines[lines.length - 1]).toBe(`${last.date};${csvNumber(last.new_cases)};${csvNumber(last.new_cases_7d)}`);

  await page.screenshot({ path: `screenshots/state-${test.info().project.name}.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('the SRAG estimate: reported weeks, the nowcast with its bands over the weeks still arriving, the outlook dashed', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/uf/SP');
  await waitForHydration(page);
  const panel = page.locator('[data-chart="nowcast"]');
  // It follows the reported SRAG chart it completes.
  await expect(page.locator('[data-chart="srag"] + [data-chart="nowcast"]')).toHaveCount(1);
  const weeks = (await (await page.request.get('/api/v1/srag/nowcast?uf=SP&measure=srag')).json()).rows;
  const ahead = (await (await page.request.get('/api/v1/srag/outlook?uf=SP&measure=srag')).json()).rows;
  expect(weeks.length).toBe(16);
  expect(ahead.length).toBe(2);
  const svg = panel.locator('.chart svg');
  // Bars, a band per interval, the weeks still arriving named, the outlook dashed.
  await expect(svg.locator('polygon')).toHaveCount(2);
  await expect(svg.locator('text', { hasText: 'estimativa: dados ainda chegando' })).toHaveCount(1);
  // The estimate is one vermillion line; the outlook and its legend, dashes of it.
  expect(await svg.locator('polyline[stroke="#D55E00"]').count()).toBeGreaterThan(4);
  // The covered dates end with the data, not with the outlook.
  await expect(panel.locator('.covered')).toHaveText(
    `Dados de ${brDate(weeks[0].week)} – ${brDate(weeks[weeks.length - 1].week)}`,
  );
  await expect(panel.locator('.chart-note a')).toHaveAttribute('href', '/api/v1/docs/nowcast.md');
  // The table: the 16 weeks, then the 2 ahead, each as the API says.
  await panel.locator('details summary').click();
  await expect(panel.locator('thead th')).toHaveText([
    'Data', 'Notificadas', 'Estimativa', 'Previsão', '50 %: mín.', '50 %: máx.', '90 %: mín.', '90 %: máx.',
  ]);
  const rows = panel.locator('tbody tr');
  await expect(rows).toHaveCount(18);
  const newest = weeks[weeks.length - 1];
  const cells = rows.nth(15).locator('td');
  await expect(rows.nth(15).locator('th')).toHaveText(brDate(newest.week));
  await expect(cells.nth(0)).toHaveText(oneDecimal(newest.reported));
  await expect(cells.nth(1)).toHaveText(oneDecimal(newest.median));
  await expect(cells.nth(2)).toHaveText('—');
  await expect(cells.nth(6)).toHaveText(oneDecimal(newest.high_90));
  const next = rows.nth(16).locator('td');
  await expect(next.nth(0)).toHaveText('—');
  await expect(next.nth(2)).toHaveText(oneDecimal(ahead[0].median));
  await expect(next.nth(6)).toHaveText(oneDecimal(ahead[0].high_90));
  expect(newest.median).toBeGreaterThan(newest.reported);
  expect(errors).toEqual([]);
});

test('the period lives in the URL: presets, a custom range, back and forward', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/uf/RJ');
  await waitForHydration(page);
  const rows = page.locator('[data-chart="cases"] tbody tr');
  await expect(rows).toHaveCount(90);
  // The title names the view, for tabs and pasted links (Open Graph too).
  await expect(page).toHaveTitle('Rio de Janeiro (RJ) — 90 dias · Sentinela');
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', 'Rio de Janeiro (RJ) — 90 dias · Sentinela');
  // A marker that a full page load would wipe out: filters redraw in place.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 3));

  await page.getByRole('link', { name: '30 dias' }).click();
  await expect(page).toHaveURL(/period=30/);
  await expect(rows).toHaveCount(30);
  await expect(page).toHaveTitle('Rio de Janeiro (RJ) — 30 dias · Sentinela');

  await page.locator('input[name="from"]').fill('2021-01-01');
  await page.locator('input[name="to"]').fill('2021-01-10');
  await page.getByRole('button', { name: 'Aplicar' }).click();
  await expect(page).toHaveURL(/from=2021-01-01/);
  await expect(rows).toHaveCount(10);
  await expect(rows.first().locator('th')).toHaveText('01/01/2021');

  await page.goBack();
  await expect(rows).toHaveCount(30);
  await page.goForward();
  await expect(rows).toHaveCount(10);
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(3);

  // The shared URL reproduces the view in a fresh page.
  const shared = await page.context().newPage();
  await shared.goto(page.url());
  await expect(shared.locator('[data-chart="cases"] tbody tr')).toHaveCount(10);
  await expect(shared.getByText('O período pedido no endereço não é válido')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a period the page cannot show is said, not silently dropped', async ({ page }) => {
  for (const query of ['period=abc', 'from=2021-03-01&to=2021-02-01', 'from=2021-02-30&to=2021-03-10']) {
    await page.goto(`/uf/SP?${query}`);
    await expect(page.locator('.notice[role="status"]'), query).toContainText('O período pedido no endereço não é válido');
    // The default period is what is shown.
    await expect(page.locator('[data-chart="cases"] tbody tr'), query).toHaveCount(90);
  }
});

test('the occupancy chart shows the bed class and scope chosen in the URL, with the hospitals behind it', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/uf/SP');
  await waitForHydration(page);
  const chart = page.locator('[data-chart="occupancy"]');
  const head = chart.locator('thead th');
  await expect(head).toHaveCount(5, { timeout: 10_000 });
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));

  await page.locator('[data-filter="bed_class"]').getByRole('link', { name: 'UTI', exact: true }).click();
  await expect(page).toHaveURL(/bed_class=icu/);
  await expect(head).toHaveCount(3);
  await page.locator('[data-filter="scope"]').getByRole('link', { name: 'COVID/SRAG', exact: true }).click();
  await expect(page).toHaveURL(/scope=covid/);
  await expect(head).toHaveCount(2);
  await expect(head.nth(1)).toHaveText('UTI COVID/SRAG');
  await expect(chart.locator('.chart svg')).toHaveCount(1);

  // The last day's rate and hospitals equal the API's.
  const api = await (await page.request.get('/api/v1/occupancy?uf=SP&bed_class=icu&scope=covid')).json();
  const last = api.rows[api.rows.length - 1];
  await expect(chart.locator('tbody tr').last().locator('td')).toHaveText(`${oneDecimal(last.rate * 100)}%`);
  // Hospitals with more patients than beds are counted at their beds, and said.
  expect(last.over_capacity).toBeGreaterThan(0);
  await expect(chart.locator('.chart-note')).toHaveText(
    `${brDate(last.date)} — UTI COVID/SRAG: ${last.hospitals.toLocaleString('pt-BR')} hospitais informando, ` +
      `${last.stale.toLocaleString('pt-BR')} sem atualização há 14 dias ou mais, ` +
      `${last.over_capacity.toLocaleString('pt-BR')} com mais pacientes que leitos (contados pelos leitos)`,
  );

  await page.goBack();
  await expect(head).toHaveCount(3);
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
  expect(errors).toEqual([]);
});

test("a chart's tooltip shows the day under the pointer, read from the chart's own table", async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/uf/SP');
  await waitForHydration(page);
  const chart = page.locator('[data-chart="cases"]');
  const rows = chart.locator('tbody tr');
  await expect(rows).toHaveCount(90);
  // One layer, not an element per day: the highlighted column and the target.
  await expect(chart.locator('.chart-hover > *')).toHaveCount(2);
  const names = await chart.locator('thead th').allTextContents();
  const cursor = chart.locator('.chart-cursor');
  const tip = chart.locator('.tip');
  const hit = chart.locator('.chart-hit');
  await hit.scrollIntoViewIfNeeded();
  const plot = (await hit.boundingBox())!;
  // Days lie under 2 pixels apart on a phone: the very edges of the plot.
  for (const [x, row] of [
    [plot.x + 0.2, rows.first()],
    [plot.x + plot.width - 0.2, rows.last()],
  ] as const) {
    await page.mouse.move(x, plot.y + plot.height / 2);
    const [date, ...values] = await row.locator('th, td').allTextContents();
    await expect(tip).toBeVisible();
    await expect(tip).toHaveText([date, ...values.map((value, k) => `${names[k + 1]}: ${value}`)].join('\n'));
    await expect(cursor).not.toHaveAttribute('width', '0');
  }
  await page.mouse.move(0, 0);
  await expect(tip).toBeHidden();
  await expect(cursor).toHaveAttribute('width', '0');
  expect(errors).toEqual([]);
});

test('the table of every state leads to the state pages', async ({ page }) => {
  await page.goto('/');
  await waitForHydration(page);
  const first = page.locator('.state-board tbody tr').first();
  const uf = await first.getAttribute('data-uf');
  await first.locator('a').click();
  await expect(page).toHaveURL(new RegExp(`/uf/${uf}`));
  await expect(page.locator('[data-chart="cases"] .chart svg')).toHaveCount(1);
});

test('cases and deaths per 100,000 inhabitants, in the URL', async ({ page }) => {
  await page.goto('/uf/SP?period=30');
  await waitForHydration(page);
  await page.getByRole('switch').click();
  await expect(page).toHaveURL(/per100k=1/);
  await expect(page.locator('[data-chart="cases"] h2')).toContainText('por 100 mil');
  const api = await (await page.request.get('/api/v1/cases/states?uf=SP&from=2022-03-26&to=2022-04-24')).json();
  const last = api.rows[api.rows.length - 1];
  const perCapita = (last.new_cases * 100000) / last.population;
  await expect(page.locator('[data-chart="cases"] tbody tr').last().locator('td').first()).toHaveText(
    perCapita.toLocaleString('pt-BR', { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  );
  await page.getByRole('switch').click();
  await expect(page).not.toHaveURL(/per100k/);
});

test("a city's page: its series and its rank in the state, reached from the state's table", async ({ page }) => {
  await page.goto('/uf/SP?period=30');
  await waitForHydration(page);
  const santos = page.locator('tr[data-city="3548500"]');
  const listedAt = (await santos.locator('td').first().textContent())!;
  await santos.locator('a').click();
  await expect(page).toHaveURL(/\/municipio\/3548500\?period=30/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Santos (SP)');

  // One rank: the position among the state's cities listed (50,000
  // inhabitants or more by default), on both pages, the rule said.
  const ranking = await (await page.request.get('/api/v1/rankings?scope=city&uf=SP&min_population=50000&limit=1000')).json();
  const position = ranking.rows.findIndex((r: { city_ibge: string }) => r.city_ibge === '3548500') + 1;
  expect(listedAt).toBe(String(position));
  await expect(page.locator('.standing')).toContainText(
    `Nº ${position} de ${ranking.rows.length} municípios do estado com 50.000 habitantes ou mais`,
  );
  // A smaller city is ranked among all, and says so.
  const all = await (await page.request.get('/api/v1/rankings?scope=city&uf=SP&min_population=0&limit=1000')).json();
  const small = all.rows.find((r: { population: number }) => r.population < 10000);
  await page.goto(`/municipio/${small.city_ibge}`);
  const smallAt = all.rows.indexOf(small) + 1;
  await expect(page.locator('.standing')).toContainText(
    `Nº ${smallAt} de ${all.rows.length} municípios do estado (de qualquer população)`,
  );
  await page.goto('/municipio/3548500?period=30');

  const api = await (await page.request.get('/api/v1/cases/cities?city=3548500')).json();
  const last = api.rows[api.rows.length - 1];
  const rows = page.locator('[data-chart="cases"] tbody tr');
  await expect(rows).toHaveCount(30);
  await expect(rows.last().locator('td').first()).toHaveText(
    last.new_cases.toLocaleString('pt-BR', { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  );
});

test("the map of a state's cities: every municipality, coloured by the API's figures, linked to its page", async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/uf/SP');
  await waitForHydration(page);
  const map = page.locator('.city-map-panel');
  await expect(map.getByRole('heading', { level: 2 })).toHaveText('Mapa dos municípios: casos por 100 mil habitantes');
  // São Paulo state has 645 municipalities in the geometry file, one
  // element each.
  const paths = map.locator('svg.city-map path');
  await expect(paths).toHaveCount(645);
  await expect(map.locator('svg.city-map *')).toHaveCount(645);

  // The most affected city (the API's ranking) is in the darkest class and
  // says its figure in the map's tooltip; the least affected, in the lightest.
  const ranking = await (await page.request.get('/api/v1/rankings?scope=city&uf=SP&min_population=0&limit=1000')).json();
  const most = ranking.rows[0];
  const least = ranking.rows[ranking.rows.length - 1];
  const top = map.locator(`path[data-city="${most.city_ibge}"]`);
  await expect(top).toHaveCSS('fill', 'rgb(179, 0, 0)');
  await expect(map.locator(`path[data-city="${least.city_ibge}"]`)).toHaveCSS('fill', 'rgb(254, 240, 217)');
  const tip = map.locator('.tip');
  await expect(tip).toBeHidden();
  const inside = await pointInside(top);
  await page.mouse.move(inside.x, inside.y);
  await expect(tip).toBeVisible();
  await expect(tip).toHaveText(`${most.name}: ${oneDecimal(most.value)}`);
  await expect(map.locator('.as-of')).toHaveText(`Dados até ${brDate(most.period_end)}`);
  await map.screenshot({ path: `screenshots/city-map-${test.info().project.name}.png` });
  await page.mouse.move(0, 0);
  await expect(tip).toBeHidden();

  // By keyboard: a city in focus says its value; Enter opens it.
  await top.focus();
  await expect(tip).toBeVisible();
  await expect(tip).toHaveText(`${most.name}: ${oneDecimal(most.value)}`);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/municipio/${most.city_ibge}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${most.name} (SP)`);

  // A city of the map opens its page, keeping the period.
  await page.goto('/uf/SP?period=30');
  await waitForHydration(page);
  const santos = await pointInside(page.locator('.city-map-panel path[data-city="3548500"]'));
  await page.mouse.click(santos.x, santos.y);
  await expect(page).toHaveURL(/\/municipio\/3548500\?period=30/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Santos (SP)');
  expect(errors).toEqual([]);
});

test('an unknown state or city is a 404 page with the way back, not an outage', async ({ page }) => {
  for (const path of ['/uf/XX', '/uf/BR', '/municipio/abc', '/municipio/9999999']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }), path).toHaveText('Página não encontrada');
    await expect(page.locator('.notice-error'), path).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Voltar à visão geral' }), path).toHaveAttribute('href', '/');
  }
});

test('the state’s cities are dated and download as listed', async ({ page }) => {
  await page.goto('/uf/SP');
  await waitForHydration(page);
  const cities = page.locator('section.ranking').first();
  await expect(cities.locator('.covered')).toHaveText(/^Dados até \d{2}\/\d{2}\/\d{4} · Nº: a posição no estado/);
  const order = await cities.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-city')));
  expect(order.length).toBeGreaterThan(10);
  const download = page.waitForEvent('download');
  await cities.locator('.csv-link').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^sentinela_SP_municipios_50000_\d{4}-\d{2}-\d{2}\.csv$/);
  const text = require('node:fs').readFileSync(await file.path(), 'utf8') as string;
  const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(lines[0]).toBe('Nº;Local;UF;IBGE;Por 100 mil;População');
  expect(lines.slice(1).map((l) => l.split(';')[3])).toEqual(order);
  const first = (await cities.locator('tbody tr').first().locator('td').nth(1).textContent())!;
  expect(lines[1].split(';')[4]).toBe(first.replace(/\./g, ''));
});

test('the state’s cities follow the minimum population chosen, with their population', async ({ page }) => {
  await page.goto('/uf/SP');
  await waitForHydration(page);
  await page.locator('[data-filter="min_pop"]').getByRole('link', { name: '500.000' }).click();
  await expect(page).toHaveURL(/\/uf\/SP\?min_pop=500000$/);
  const cities = page.locator('section.state-cities');
  await expect(cities.getByRole('heading', { level: 2 })).toHaveText('Municípios do estado, casos por 100 mil (500.000 habitantes ou mais)');
  const ranking = await (await page.request.get('/api/v1/rankings?scope=city&uf=SP&min_population=500000&limit=1000')).json();
  const rows = cities.locator('tbody tr');
  await expect(rows).toHaveCount(ranking.rows.length);
  for (const [i, city] of ranking.rows.entries()) {
    await expect(rows.nth(i)).toHaveAttribute('data-city', city.city_ibge);
    await expect(rows.nth(i).locator('td').first()).toHaveText(String(i + 1));
    await expect(rows.nth(i).locator('td').last()).toHaveText(city.population.toLocaleString('pt-BR'));
  }
});

test('on a touch screen a map’s first tap shows the value, the second opens the place', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: dataURL, hasTouch: true, isMobile: true, viewport: { width: 360, height: 780 } });
  const page = await context.newPage();
  await page.goto('/uf/SP');
  await waitForHydration(page);
  // The largest city, so a finger cannot miss it.
  const code = await page.locator('.city-map-panel path').evaluateAll((paths) => {
    const area = (p: Element) => { const b = (p as SVGGraphicsElement).getBBox(); return b.width * b.height; };
    return paths.reduce((a, b) => (area(b) > area(a) ? b : a)).getAttribute('data-city');
  });
  const city = page.locator(`.city-map-panel path[data-city="${code}"]`);
  const named = (await city.getAttribute('data-tip'))!;
  const inside = await pointInside(city);
  await page.touchscreen.tap(inside.x, inside.y);
  const tip = page.locator('.city-map-panel .tip');
  await expect(tip).toBeVisible();
  await expect(tip).toHaveText(`${named}\nToque de novo para abrir`);
  await expect(page).toHaveURL(/\/uf\/SP$/);
  await page.touchscreen.tap(inside.x, inside.y);
  await expect(page).toHaveURL(new RegExp(`/municipio/${code}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${named.split(':')[0]} (SP)`);
  // The states' map does the same.
  await page.goto('/');
  await waitForHydration(page);
  const bahia = page.locator('.map-panel path[data-uf="BA"]');
  await bahia.scrollIntoViewIfNeeded();
  const point = await pointInside(bahia);
  await page.touchscreen.tap(point.x, point.y);
  await expect(page.locator('.map-panel .tip')).toContainText('Bahia (BA): ');
  await expect(page).toHaveURL(/\/$/);
  await page.touchscreen.tap(point.x, point.y);
  await expect(page).toHaveURL(/\/uf\/BA$/);
  await context.close();
});

test('chart text reads at 11 px or more on a phone, measured from the SVG', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: dataURL, viewport: { width: 360, height: 780 } });
  const page = await context.newPage();
  await page.goto('/uf/SP');
  const sizes = await page.locator('.charts svg text').evaluateAll((texts) =>
    texts.map((text) => {
      const scale = (text as SVGTextElement).ownerSVGElement!.getScreenCTM()!.a;
      return parseFloat(getComputedStyle(text).fontSize) * scale;
    }),
  );
  expect(sizes.length).toBeGreaterThan(50);
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
  await context.close();
});
