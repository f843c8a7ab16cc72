// The overview with the real data of ../shared/data ingested: each figure
// on the page equals what the test computes from the API, in pt-BR formats.
import { expect, test, type Page } from '@playwright/test';
import { watchConsole, waitForHydration } from './support';
import { dataURL } from '../playwright.config';

test.use({ baseURL: dataURL });

const whole = (n: number) => n.toLocaleString('pt-BR', { maximumFractionDigits: 0 });
const oneDecimal = (n: number) =>
  n.toLocaleString('pt-BR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const percent = (rate: number) => `${oneDecimal(rate * 100)}%`;
const brDate = (iso: string) => iso.split('-').reverse().join('/');
const dayBefore = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
};

async function api(page: Page, path: string) {
  const response = await page.request.get(path);
  expect(response.status()).toBe(200);
  return response.json();
}

test('the headline figures equal those computed from the API', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/');
  await waitForHydration(page);

  // Cases and deaths of the last 7 days: cumulative at D minus at D−7.
  const brazil = await api(page, '/api/v1/cases/states?uf=BR');
  const days = brazil.rows;
  const last = days[days.length - 1];
  const weekAgo = days.find((d: { date: string }) => d.date === dayBefore(last.date, 7));
  const cards = page.locator('.kpi');
  await expect(cards.nth(0).locator('.kpi-value')).toHaveText(whole(last.cases - weekAgo.cases));
  await expect(cards.nth(1).locator('.kpi-value')).toHaveText(whole(last.deaths - weekAgo.deaths));
  await expect(cards.nth(0).locator('.kpi-note')).toContainText('24/04/2022');

  // ICU occupancy of COVID/SRAG beds on the newest day: Σ occupied / Σ offered.
  const icu = await api(page, '/api/v1/occupancy?bed_class=icu&scope=covid');
  const newest = icu.to;
  const today = icu.rows.filter((r: { date: string }) => r.date === newest);
  const sum = (k: string) => today.reduce((t: number, r: Record<string, number>) => t + r[k], 0);
  await expect(cards.nth(2).locator('.kpi-value')).toHaveText(percent(sum('occupied') / sum('offered')));
  await expect(cards.nth(2).locator('.kpi-note')).toContainText(`${whole(sum('hospitals'))} hospitais informando`);
  // Its change is the difference of the two rates in percentage points, not a relative change.
  const weekBefore = icu.rows.filter((r: { date: string }) => r.date === dayBefore(newest, 7));
  const before = (k: string) => weekBefore.reduce((t: number, r: Record<string, number>) => t + r[k], 0);
  const points = (sum('occupied') / sum('offered') - before('occupied') / before('offered')) * 100;
  await expect(cards.nth(2).locator('.kpi-change')).toHaveText(
    `${points > 0 ? '+' : ''}${oneDecimal(points)} p.p. ante a semana anterior`,
  );

  // SRAG over the four newest complete epidemiological weeks: those that
  // ended eight weeks or more before the newest SIVEP date.
  const newestSivep = (await api(page, '/api/v1/srag')).to;
  const settled = new Date(`${dayBefore(newestSivep, 56)}T00:00:00Z`);
  const lastSaturday = dayBefore(settled.toISOString().slice(0, 10), (settled.getUTCDay() + 1) % 7);
  const firstSunday = dayBefore(lastSaturday, 27);
  const srag = await api(page, `/api/v1/srag?from=${firstSunday}&to=${lastSaturday}`);
  await expect(cards.nth(4).locator('.kpi-note')).toContainText(`${brDate(firstSunday)} – ${brDate(lastSaturday)}`);
  const total = (k: string) => srag.rows.reduce((t: number, r: Record<string, number>) => t + r[k], 0);
  await expect(cards.nth(4).locator('.kpi-value')).toHaveText(percent(total('confirmed') / total('hospitalised')));

  await page.screenshot({ path: `screenshots/indicators-${test.info().project.name}.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('in English, numbers are written the English way', async ({ page }) => {
  await page.goto('/?lang=en');
  await waitForHydration(page);
  const days = (await api(page, '/api/v1/cases/states?uf=BR')).rows;
  const last = days[days.length - 1];
  const weekAgo = days.find((d: { date: string }) => d.date === dayBefore(last.date, 7));
  const cards = page.locator('.kpi');
  await expect(cards.nth(0).locator('.kpi-value')).toHaveText((last.cases - weekAgo.cases).toLocaleString('en-US'));
  const icu = await api(page, '/api/v1/occupancy?bed_class=icu&scope=covid');
  const today = icu.rows.filter((r: { date: string }) => r.date === icu.to);
  const sum = (k: string) => today.reduce((t: number, r: Record<string, number>) => t + r[k], 0);
  await expect(cards.nth(2).locator('.kpi-value')).toHaveText(`${((sum('occupied') / sum('offered')) * 100).toFixed(1)}%`);
  await expect(cards.nth(2).locator('.kpi-change')).toContainText(' pp vs the week before');
});

test('every state in one table, sorted by the map\'s metric or any heading, changes in p.p.', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?metric=icu_covid');
  await waitForHydration(page);
  const board = page.locator('.state-board');
  const rows = board.locator('tbody tr');
  await expect(rows).toHaveCount(27);
  // Sorted by ICU occupancy, as the map shows it: the API's highest first.
  const icu = await api(page, '/api/v1/occupancy?bed_class=icu&scope=covid');
  const rate = (date: string) =>
    new Map(icu.rows.filter((r: { date: string }) => r.date === date).map((r: { uf: string; rate: number }) => [r.uf, r.rate]));
  const now = rate(icu.to);
  const before = rate(dayBefore(icu.to, 7));
  const highest = [...now.entries()].sort((a, b) => b[1] - a[1] || 0)[0];
  await expect(rows.first()).toHaveAttribute('data-uf', highest[0]);
  await expect(board.locator('th[aria-sort="descending"]')).toHaveText('UTI');
  // Each state's rate and its change in percentage points equal the API's.
  for (const uf of ['SP', 'BA', 'RJ']) {
    const row = board.locator(`tbody tr[data-uf="${uf}"]`);
    await expect(row.locator('td').nth(0)).toHaveText(percent(now.get(uf)));
    const points = (now.get(uf) - before.get(uf)) * 100;
    const arrow = points > 0 ? '▲ +' : points < 0 ? '▼ ' : '';
    await expect(row.locator('td').nth(1)).toHaveText(`${arrow}${oneDecimal(points)} p.p.`);
  }
  // A heading sorts by its column, in the URL; a state opens its page.
  await board.getByRole('link', { name: 'UTI em 7 dias' }).click();
  await expect(page).toHaveURL(/ordem=icu_change/);
  await expect(board.locator('th[aria-sort="descending"]')).toHaveText('UTI em 7 dias');
  const rising = [...now.keys()].filter((uf) => before.has(uf)).sort((a, b) => (now.get(b) - before.get(b)) - (now.get(a) - before.get(a)))[0];
  await expect(rows.first()).toHaveAttribute('data-uf', rising);
  await rows.first().locator('a').click();
  await expect(page).toHaveURL(new RegExp(`/uf/${rising}`));
  expect(errors).toEqual([]);
});

test('the state table downloads as shown: every column, in its order, the Brazilian Excel\'s dialect', async ({ page }) => {
  await page.goto('/?metric=icu_covid&ordem=icu_change');
  await waitForHydration(page);
  const board = page.locator('.state-board');
  const icu = await api(page, '/api/v1/occupancy?bed_class=icu&scope=covid');
  const rate = (date: string) =>
    new Map(icu.rows.filter((r: { date: string }) => r.date === date).map((r: { uf: string; rate: number }) => [r.uf, r.rate]));
  const now = rate(icu.to);
  const before = rate(dayBefore(icu.to, 7));
  const download = page.waitForEvent('download');
  await board.locator('.csv-link').click();
  expect((await download).suggestedFilename()).toBe(`sentinela_states_${icu.to}.csv`);
  const text = require('node:fs').readFileSync(await (await download).path(), 'utf8') as string;
  const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(lines[0]).toBe(
    'UF;Local;UTI (%);UTI em 7 dias (p.p.);Clínicos (%);Clínicos em 7 dias (p.p.);Hospitais (UTI);Casos por 100 mil em 7 dias;Casos ante a semana anterior (%)',
  );
  expect(lines.length).toBe(28);
  // The table's order, every state's ICU rate and change as the API's.
  const order = await board.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-uf')));
  const csvNumber = (n: number) => n.toFixed(1).replace('.', ',');
  for (const [i, line] of lines.slice(1).entries()) {
    const cells = line.split(';');
    expect(cells[0]).toBe(order[i]);
    expect(cells[2]).toBe(csvNumber(now.get(cells[0]) * 100));
    expect(cells[3]).toBe(csvNumber((now.get(cells[0]) - before.get(cells[0])) * 100));
  }
});

test('where hospitalisations are rising: every state\'s nowcast trend, the most likely rise first', async ({ page }) => {
  await page.goto('/');
  const trends = await api(page, '/api/v1/trends?measure=srag');
  const states = trends.rows
    .filter((r: { uf: string }) => r.uf !== 'BR')
    .sort(
      (a: { uf: string; short_p_increase: number }, b: { uf: string; short_p_increase: number }) =>
        b.short_p_increase - a.short_p_increase || (a.uf < b.uf ? -1 : 1),
    );
  expect(states.length).toBe(27);
  const rows = page.locator('.trends tbody tr');
  await expect(rows).toHaveCount(27);
  for (const [i, state] of states.entries()) {
    await expect(rows.nth(i)).toHaveAttribute('data-uf', state.uf);
    await expect(rows.nth(i)).toHaveAttribute('data-trend', state.short_class);
  }
  await expect(rows.first().locator('td').nth(1)).toHaveText(percent(states[0].short_p_increase));
  await expect(page.locator('.trends .covered')).toContainText(brDate(trends.vintage));
  await rows.first().locator('a').click();
  await expect(page).toHaveURL(new RegExp(`/uf/${states[0].uf}`));
});

test('the map by trend: every state in the class of its nowcast trend, with the SIVEP edition', async ({ page }) => {
  await page.goto('/?metric=srag_trend');
  const trends = await api(page, '/api/v1/trends?measure=srag');
  const classes = ['queda', 'provavel_queda', 'estavel', 'provavel_aumento', 'aumento'];
  const map = page.locator('.map-panel');
  await expect(map.locator('.covered')).toHaveText(`Dados até ${brDate(trends.vintage)}`);
  const states = trends.rows.filter((r: { uf: string }) => r.uf !== 'BR');
  expect(states.length).toBe(27);
  for (const state of states) {
    const area = map.locator(`path[data-uf="${state.uf}"]`);
    await expect(area).toHaveClass(`trend-${classes.indexOf(state.short_class)}`);
  }
  await expect(map.locator('.legend li')).toHaveText(['queda', 'provável queda', 'estável', 'provável aumento', 'aumento', 'sem dado']);
});

test('the city rankings list the cities the API ranks, dated, each opening its own page', async ({ page }) => {
  await page.goto('/');
  const tables = page.locator('.ranking');
  await expect(tables).toHaveCount(2);
  const cities = await api(page, '/api/v1/rankings?scope=city&limit=10');
  const first = tables.nth(0).locator('tbody tr').first();
  await expect(first.locator('th')).toHaveText(`${cities.rows[0].name} (${cities.rows[0].uf})`);
  await expect(first.locator('td').nth(1)).toHaveText(oneDecimal(cities.rows[0].value));
  await expect(tables.nth(0).locator('h2')).toHaveText('Municípios mais afetados (50.000 habitantes ou mais)');
  // The date of the cities' figures, which differs from the states'.
  await expect(tables.nth(0).locator('.covered')).toHaveText(`Dados até ${brDate(cities.rows[0].period_end)}`);
  // A city opens its own page, not its state's.
  await expect(first.locator('a')).toHaveAttribute('href', `/municipio/${cities.rows[0].city_ibge}`);

  // The cities' minimum population lives in the URL; both city tables follow it.
  await page.locator('[data-filter="min_pop"]').getByRole('link', { name: '500.000' }).click();
  await expect(page).toHaveURL(/min_pop=500000/);
  await expect(tables.nth(0).locator('h2')).toHaveText('Municípios mais afetados (500.000 habitantes ou mais)');
  for (const [nth, direction] of [[0, 'most'], [1, 'least']] as const) {
    const expected = await api(page, `/api/v1/rankings?scope=city&min_population=500000&direction=${direction}&limit=10`);
    const names = tables.nth(nth).locator('tbody tr th');
    await expect(names).toHaveCount(expected.rows.length);
    await expect(names).toHaveText(expected.rows.map((r: { name: string; uf: string }) => `${r.name} (${r.uf})`));
  }
  await page.goBack();
  await expect(tables.nth(0).locator('h2')).toHaveText('Municípios mais afetados (50.000 habitantes ou mais)');
});

test('the trends and the city rankings download as shown', async ({ page }) => {
  await page.goto('/');
  await waitForHydration(page);
  const read = async (section: import('@playwright/test').Locator) => {
    const download = page.waitForEvent('download');
    await section.locator('.csv-link').click();
    const file = await download;
    const text = require('node:fs').readFileSync(await file.path(), 'utf8') as string;
    return { name: file.suggestedFilename(), lines: text.replace(/^\uFEFF/, '').trim().split('\r\n') };
  };
  const trends = await api(page, '/api/v1/trends?measure=srag');
  const shown = await read(page.locator('section.trends'));
  expect(shown.name).toBe(`sentinela_srag_tendencias_${trends.vintage}.csv`);
  expect(shown.lines[0]).toBe(
    'UF;Local;Tendência (3 semanas);Probabilidade de aumento (%);Variação semanal (%);Tendência (6 semanas)',
  );
  const order = await page.locator('.trends tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-uf')));
  expect(shown.lines.slice(1).map((l) => l.split(';')[0])).toEqual(order);
  const first = trends.rows.find((r: { uf: string }) => r.uf === order[0]);
  expect(shown.lines[1].split(';')[3]).toBe((first.short_p_increase * 100).toFixed(1).replace('.', ','));

  const cities = await api(page, '/api/v1/rankings?scope=city&limit=10');
  const most = await read(page.locator('.ranking').first());
  expect(most.name).toBe(`sentinela_municipios_mais_afetados_${cities.rows[0].period_end}.csv`);
  expect(most.lines).toHaveLength(cities.rows.length + 1);
  expect(most.lines[1].split(';').slice(0, 5)).toEqual([
    '1',
    cities.rows[0].name,
    cities.rows[0].uf,
    cities.rows[0].city_ibge,
    cities.rows[0].value.toFixed(1).replace('.', ','),
  ]);
});

test('the overview with data never scrolls sideways', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('.kpi').first()).toBeVisible();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
});

test('the map colours every state, names its value, switches metric in the URL and opens a state', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/');
  await waitForHydration(page);
  const states = page.locator('.map path');
  await expect(states).toHaveCount(27);

  // The value on a state's label equals the API's ranking value.
  const ranking = await api(page, '/api/v1/rankings?limit=27');
  const sp = ranking.rows.find((r: { uf: string }) => r.uf === 'SP');
  await expect(page.locator('.map path[data-uf="SP"]')).toHaveAttribute(
    'aria-label',
    `São Paulo (SP): ${oneDecimal(sp.value)}`,
  );

  // The map says the day of its figures: the newest case date, then the newest occupancy date.
  const brazil = await api(page, '/api/v1/cases/states?uf=BR');
  await expect(page.locator('.map-panel .covered')).toHaveText(`Dados até ${brDate(brazil.rows[brazil.rows.length - 1].date)}`);

  // The occupancy metric: percentages, in the URL, without a page load.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
  await page.getByRole('link', { name: 'Ocupação UTI COVID' }).click();
  await expect(page).toHaveURL(/metric=icu_covid/);
  const icu = await api(page, '/api/v1/occupancy?uf=SP&bed_class=icu&scope=covid');
  const last = icu.rows[icu.rows.length - 1];
  await expect(page.locator('.map path[data-uf="SP"]')).toHaveAttribute('aria-label', `São Paulo (SP): ${percent(last.rate)}`);
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
  // Occupancy is classed by the fixed alert thresholds, whatever the other states show.
  const newest = await api(page, '/api/v1/occupancy?bed_class=icu&scope=covid');
  for (const row of newest.rows.filter((r: { date: string }) => r.date === newest.to)) {
    const band = [0.6, 0.8, 0.9].filter((threshold) => row.rate >= threshold).length;
    await expect(page.locator(`.map path[data-uf="${row.uf}"]`), `${row.uf} at ${row.rate}`).toHaveClass(`alert-${band}`);
  }
  await expect(page.locator('.map .legend')).toContainText('≥ 90%');
  await expect(page.locator('.map-panel .covered')).toHaveText(`Dados até ${brDate(newest.to)}`);
  await page.screenshot({ path: `screenshots/map-${test.info().project.name}.png`, fullPage: false });

  await page.locator('.map path[data-uf="SP"]').click();
  await expect(page).toHaveURL(/\/uf\/SP/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('São Paulo (SP)');

  // Back on the map, a state opens from the keyboard too; neither is a page load.
  await page.goBack();
  await expect(page.locator('.map path[data-uf="RJ"]')).toHaveAttribute('aria-label', /^Rio de Janeiro \(RJ\): .*%$/);
  await page.locator('.map path[data-uf="RJ"]').press('Enter');
  await expect(page).toHaveURL(/\/uf\/RJ/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rio de Janeiro (RJ)');
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
  expect(errors).toEqual([]);
});
