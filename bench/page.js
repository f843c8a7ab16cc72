// Loads a page N times in headless Chromium (a fresh context each time, no
// cache) and prints the median and p90 of first contentful paint and of
// hydrated-and-interactive (the app's data-hydrated marker set), in ms, the
// same for a second visit in the same context (what the browser kept), and
// the page's element count (what Lighthouse's DOM size counts), with how many
// of them are folded away in closed <details> (not laid out).
// With --static, the page is a plain copy without scripts: only its paint
// is measured (the browser's floor for the same HTML and CSS).
// With --mobile, each load runs on Lighthouse's mobile profile, applied by
// DevTools: 150 ms of latency per request, 1.6 Mbit/s down, 750 kbit/s up,
// the CPU slowed 4×.
// Usage: node bench/page.js URL [N] [--static] [--mobile]
const { chromium } = require('@playwright/test');

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const [url, runs = '20'] = args.filter((a) => !a.startsWith('--'));
const hydrates = !flags.has('--static');
const mobile = flags.has('--mobile');
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const fcp = [];
  const interactive = [];
  const again = [];
  let elements;
  for (let i = 0; i < Number(runs); i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    if (mobile) {
      const devtools = await context.newCDPSession(page);
      await devtools.send('Network.enable');
      await devtools.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 150,
        downloadThroughput: (1.6 * 1024 * 1024) / 8,
        uploadThroughput: (750 * 1024) / 8,
      });
      await devtools.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    }
    const started = Date.now();
    await page.goto(url);
    if (hydrates) {
      await page.waitForSelector('[data-hydrated="true"]', { timeout: 60_000 });
      interactive.push(Date.now() - started);
    }
    // The paint entry may come after the load event (a page without scripts).
    fcp.push(await page.evaluate(() => new Promise((resolve) => {
      const paint = () => performance.getEntriesByName('first-contentful-paint')[0];
      if (paint()) return resolve(paint().startTime);
      new PerformanceObserver(() => paint() && resolve(paint().startTime)).observe({ type: 'paint', buffered: true });
      setTimeout(() => resolve(NaN), 5000);
    })));
    if (hydrates) {
      const revisited = Date.now();
      await page.goto(url);
      await page.waitForSelector('[data-hydrated="true"]', { timeout: 60_000 });
      again.push(Date.now() - revisited);
    }
    elements ??= await page.evaluate(() => ({
      all: document.getElementsByTagName('*').length,
      folded: [...document.querySelectorAll('details:not([open])')]
        .map((d) => d.querySelectorAll('*').length - d.querySelectorAll('summary, summary *').length)
        .reduce((a, b) => a + b, 0),
    }));
    await context.close();
  }
  await browser.close();
  const line = (name, xs) => console.log(`${name.padEnd(24)} median ${quantile(xs, 0.5).toFixed(0)} ms   p90 ${quantile(xs, 0.9).toFixed(0)} ms`);
  console.log(`${url}: ${runs} loads${mobile ? ' (mobile profile)' : ''}`);
  line('first contentful paint', fcp);
  if (hydrates) {
    line('hydrated, interactive', interactive);
    line('second visit, hydrated', again);
  }
  console.log(`${'DOM elements'.padEnd(24)} ${elements.all} (${elements.folded} in closed <details>)`);
})();
