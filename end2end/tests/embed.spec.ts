// Embed mode for the intranet's iframe: without the site's chrome, the
// same filters, and framed only by the configured origins.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { dataURL, intranetURLs } from '../playwright.config';

/** Serves, on a real loopback port, a page that frames `src`, and opens it
 * (`origin` port 0: any free port, an origin no one allowed). */
async function host(page: Page, origin: string, src: string) {
  const server = createServer((_, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><title>Intranet</title><iframe title="Sentinela" src="${src}" width="1000" height="800"></iframe>`);
  });
  const url = new URL(origin);
  await new Promise<void>((done) => server.listen(Number(url.port), url.hostname, done));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  await page.goto(`http://${url.hostname}:${port}/host.html`);
}

const servers: Server[] = [];
test.afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

test('an allowed origin frames the dashboard without its chrome, filters kept', async ({ page }) => {
  await host(page, intranetURLs[test.info().parallelIndex % intranetURLs.length], `${dataURL}/uf/SP?embed=1&period=30`);
  const frame = page.frameLocator('iframe');
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText('São Paulo (SP)');
  await expect(frame.locator('[data-chart="cases"] tbody tr')).toHaveCount(30);
  await expect(frame.locator('.site-header')).toHaveCount(0);
  await expect(frame.locator('.site-footer')).toContainText('Dados públicos');
  // Links inside the frame stay in embed mode.
  await frame.locator('.breadcrumb a').click();
  await expect(frame.locator('.kpi').first()).toBeVisible();
  await expect(frame.locator('.site-header')).toHaveCount(0);
  await page.screenshot({ path: `screenshots/embed-${test.info().project.name}.png` });
});

test('another origin is refused', async ({ page }) => {
  const response = await page.request.get(`${dataURL}/?embed=1`);
  expect(response.headers()['content-security-policy']).toBe(`frame-ancestors 'self' ${intranetURLs.join(' ')}`);
  // Another origin, as local as the allowed one.
  await host(page, 'http://127.0.0.1:0', `${dataURL}/?embed=1`);
  // The browser blocks the frame: nothing of the dashboard renders in it.
  await page.waitForTimeout(1500);
  await expect(page.frameLocator('iframe').locator('.frame')).toHaveCount(0);
});
