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
    for (let i = 1; i < 24; i++) {
      for (let j = 1; j < 24; j++) {
        const point = svg.createSVGPoint();
        point.x = box.x + (box.width * i) / 24;
        point.y = box.y + (box.height * j) / 24;
        const onPage = point.matrixTransform(toPage);
        if (area.isPointInFill(point) && document.elementFromPoint(onPage.x, onPage.y) === area) {
          return { x: onPage.x, y: onPage.y };
        }
      }
    }
    throw new Error(`no point of ${area.outerHTML.slice(0, 80)} receives the pointer`);
  });
}
