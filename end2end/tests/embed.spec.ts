// Embed mode for the intranet's iframe: opened by a signed link (issued by
// the real CLI), without the site's chrome, only the filters the link
// allows, and framed only by the configured origins.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { binary, dataURL, intranetURLs, signingKey } from '../playwright.config';

/** A signed embed link for `view`, from `sentinela embed-link`. */
function embedLink(view: string, ...allow: string[]): string {
  const args = ['embed-link', view, ...allow.flatMap((rule) => ['--allow', rule]), '--days', '1'];
  const env = { ...process.env, SENTINELA_SIGNING_KEY: signingKey, RUST_LOG: 'warn' };
  return dataURL + execFileSync(binary, args, { env, encoding: 'utf8' }).trim();
}

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

test('an allowed origin frames a signed view without its chrome, allowed filters kept', async ({ page }) => {
  const link = embedLink('/uf/SP', 'period=30,90');
  await host(page, intranetURLs[test.info().parallelIndex % intranetURLs.length], `${link}&period=30`);
  const frame = page.frameLocator('iframe');
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText('São Paulo (SP)');
  await expect(frame.locator('[data-chart="cases"] tbody tr')).toHaveCount(30);
  await expect(frame.locator('.site-header')).toHaveCount(0);
  await expect(frame.locator('.site-footer')).toContainText('Dados públicos');
  // A filter the link allows: the frame reloads the view, still embedded.
  await frame.getByRole('link', { name: '90 dias' }).click();
  await expect(frame.locator('[data-chart="cases"] tbody tr')).toHaveCount(90);
  await expect(frame.locator('.site-header')).toHaveCount(0);
  await page.screenshot({ path: `screenshots/embed-${test.info().project.name}.png` });
});

test('a tampered, widened or unsigned embed link is refused', async ({ page }) => {
  const link = embedLink('/uf/SP', 'period=30');
  for (const refused of [`${link}x`, link.replace('/uf/SP', '/uf/RJ'), `${link}&period=365`, `${dataURL}/uf/SP?embed=1`]) {
    const response = await page.request.get(refused);
    expect(response.status(), refused).toBe(403);
    expect(await response.text()).toContain('link de incorporação não é válido');
  }
  expect((await page.request.get(link)).status()).toBe(200);
});

test('another origin is refused', async ({ page }) => {
  const link = embedLink('/');
  const response = await page.request.get(link);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-security-policy']).toContain(`frame-ancestors 'self' ${intranetURLs.join(' ')};`);
  // Another origin, as local as the allowed one.
  await host(page, 'http://127.0.0.1:0', link);
  // The browser blocks the frame: nothing of the dashboard renders in it.
  await page.waitForTimeout(1500);
  await expect(page.frameLocator('iframe').locator('.frame')).toHaveCount(0);
});
