// Helpers every spec shares.
import { expect, type Locator, type Page } from '@playwright/test';

/** Collects console errors and uncaught exceptions; tests expect none. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** How long hydration may take: the WASM is compiled and the page hydrated
 * while the other worker's browser and both servers share the machine's two
 * cores (measured up to 6 s on /uf/SP in CI; 1 s alone). */
const HYDRATION_TIMEOUT = 20_000;

/** Waits until the page is hydrated (the app's marker, set in the browser). */
export async function waitForHydration(page: Page) {
  await expect(page.locator('[data-hydrated="true"]')).toHaveCount(1, { timeout: HYDRATION_TIMEOUT });
}

/**
 * A point of the page inside an SVG shape, where the shape itself receives
 * the pointer: a map area's centre may lie in its neighbour.
 */
export async function pointInside(shape: Locator): Promise<{ x: number; y: number }> {
  await shape.scrollIntoViewIfNeeded();
  return shape.evaluate((element) => {
    const area = element as SVGGeometryElement;
    const svg = area.ownerSVGElement!;
    const box = area.getBBox();
    const toPage = area.getScreenCTM()!;
    // Of a grid over the shape's box, the points that reach it; the one
    // farthest from any that does not, so a finger's width still lands.
    const n = 24;
    const hits: { i: number; j: number; x: number; y: number }[] = [];
    for (let i = 1; i < n; i++) {
      for (let j = 1; j < n; j++) {
        const point = svg.createSVGPoint();
        point.x = box.x + (box.width * i) / n;
        point.y = box.y + (box.height * j) / n;
        const onPage = point.matrixTransform(toPage);
        if (area.isPointInFill(point) && document.elementFromPoint(onPage.x, onPage.y) === area) {
          hits.push({ i, j, x: onPage.x, y: onPage.y });
        }
      }
    }
    if (hits.length === 0) throw new Error(`no point of ${area.outerHTML.slice(0, 80)} receives the pointer`);
    const reached = new Set(hits.map((h) => `${h.i},${h.j}`));
    const depth = (h: { i: number; j: number }) => {
      for (let d = 1; d < n; d++) {
        for (let a = -d; a <= d; a++) {
          for (const [i, j] of [[h.i + a, h.j - d], [h.i + a, h.j + d], [h.i - d, h.j + a], [h.i + d, h.j + a]]) {
            if (!reached.has(`${i},${j}`)) return d;
          }
        }
      }
      return n;
    };
    const best = hits.reduce((a, b) => (depth(b) > depth(a) ? b : a));
    return { x: best.x, y: best.y };
  });
}
