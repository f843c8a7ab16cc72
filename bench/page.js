// Loads a page N times in headless Chromium (a fresh context each time, no
// cache) and prints the median and p90 of first contentful paint and of
// hydrated-and-interactive (the app's data-hydrated marker set), in ms.
// With --static, the page is a plain copy without scripts: only its paint
// is measured (the browser's floor for the same HTML and CSS).
// Usage: node bench/page.js URL [N] [--static]
const { chromium } = require('@playwright/test');

const [url, runs = '20', mode] = process.argv.slice(2);
const hydrates = mode !== '--static';
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const fcp = [];
  const interactive = [];
  for (let i = 0; i < Number(runs); i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(url);
    if (hydrates) {
      await page.waitForSelector('[data-hydrated="true"]');
      interactive.push(Date.now() - started);
    }
    // The paint entry may come after the load event (a page without scripts).
    fcp.push(await page.evaluate(() => new Promise((resolve) => {
      const paint = () => performance.getEntriesByName('first-contentful-paint')[0];
      if (paint()) return resolve(paint().startTime);
      new PerformanceObserver(() => paint() && resolve(paint().startTime)).observe({ type: 'paint', buffered: true });
      setTimeout(() => resolve(NaN), 5000);
    })));
    await context.close();
  }
  await browser.close();
  const line = (name, xs) => console.log(`${name.padEnd(24)} median ${quantile(xs, 0.5).toFixed(0)} ms   p90 ${quantile(xs, 0.9).toFixed(0)} ms`);
  console.log(`${url}: ${runs} loads`);
  line('first contentful paint', fcp);
  if (hydrates) line('hydrated, interactive', interactive);
})();
