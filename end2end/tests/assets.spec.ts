// The release build's script, WASM and stylesheet: named by the hash of
// their content, so a build that changes a file gives it a new name; kept by
// browsers for a year, so a second visit fetches neither the script nor the
// WASM; named by the pages, which are checked again on every visit and carry
// the stylesheet inline.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { waitForHydration } from './support';
import { binary, dataURL } from '../playwright.config';

test.use({ baseURL: dataURL });

const pkg = path.resolve(__dirname, '..', '..', 'target', 'site', 'pkg');
const KEPT_FOR_GOOD = 'public, max-age=31536000, immutable';

/** The build's files as its hash file (beside the binary) lists them: `js: <hash>`. */
function builtFiles() {
  const hashFile = readFileSync(path.join(path.dirname(binary), 'hash.txt'), 'utf8');
  return ['js', 'wasm', 'css'].map((kind) => {
    const hash = hashFile.match(new RegExp(`^${kind}: (\\S+)$`, 'm'))?.[1];
    expect(hash, `${kind} in hash.txt`).toBeDefined();
    const name = `sentinela.${hash}.${kind}`;
    return { kind, hash: hash!, url: `/pkg/${name}`, content: readFileSync(path.join(pkg, name)) };
  });
}

test("each file's name carries the hash of its content, so a new build renames what it changes", async () => {
  for (const file of builtFiles()) {
    // cargo-leptos's hash: MD5, base64url without padding.
    expect(createHash('md5').update(file.content).digest('base64url'), file.url).toBe(file.hash);
  }
});

test('the files are kept for good; the pages, checked on every visit, name them and carry the stylesheet', async ({ request }) => {
  const [script, wasm, css] = builtFiles();
  for (const file of [script, wasm, css]) {
    const response = await request.get(file.url);
    expect(response.status(), file.url).toBe(200);
    expect(response.headers()['cache-control'], file.url).toBe(KEPT_FOR_GOOD);
    expect(Buffer.compare(await response.body(), file.content), file.url).toBe(0);
  }
  const favicon = await request.get('/favicon.ico');
  expect(favicon.headers()['cache-control']).toBeUndefined();

  for (const path of ['/', '/uf/SP']) {
    const page = await request.get(path);
    expect(page.headers()['cache-control'], path).toBe('no-cache');
    const html = await page.text();
    expect(html, path).toContain(`<link rel="modulepreload" href="${script.url}"`);
    expect(html, path).toContain(`<link rel="preload" href="${wasm.url}"`);
    expect(html, path).toMatch(/<style nonce="[^"]+">/);
    expect(html, path).toContain(`>${css.content.toString()}</style>`);
    expect(html, path).not.toContain('rel="stylesheet"');
  }
});

test('a second visit takes the script and the WASM from the browser cache', async ({ page }) => {
  const [script, wasm] = builtFiles();
  const devtools = await page.context().newCDPSession(page);
  await devtools.send('Network.enable');
  // Paths answered from the memory cache or from the disk cache.
  const requested = new Map<string, string>();
  const cached = new Set<string>();
  devtools.on('Network.requestWillBeSent', (e) => requested.set(e.requestId, new URL(e.request.url).pathname));
  devtools.on('Network.requestServedFromCache', (e) => cached.add(requested.get(e.requestId)!));
  devtools.on('Network.responseReceived', (e) => {
    if (e.response.fromDiskCache) cached.add(new URL(e.response.url).pathname);
  });

  await page.goto('/');
  await waitForHydration(page);
  expect(cached.has(script.url) || cached.has(wasm.url)).toBe(false);

  await page.goto('/uf/SP');
  await waitForHydration(page);
  expect([...cached]).toEqual(expect.arrayContaining([script.url, wasm.url]));
});
