// Playwright runs in Debian's Chromium (never a downloaded browser) against
// the release build, started here with the embedded defaults in a fresh
// temporary data folder.
import { defineConfig, devices } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
const port = Number(process.env.SENTINELA_E2E_PORT ?? 3100);
export const baseURL = `http://127.0.0.1:${port}`;
// A second server with all of ../shared/data ingested before it starts.
export const dataURL = `http://127.0.0.1:${port + 1}`;
// The intranet origins allowed to frame the dashboard, one per worker:
// host pages the embed tests serve on loopback (tests/embed.spec.ts).
export const intranetURLs = [`http://127.0.0.1:${port + 2}`, `http://127.0.0.1:${port + 3}`];
export const binary = path.join(targetDir, 'release', 'sentinela');
// Signs the data server's embed links (tests/embed.spec.ts). A test-only
// value, not a secret.
export const signingKey = 'end-to-end tests sign embed links with this key';
// A third server for the alerts' whole path (tests/alerts.spec.ts): its own
// data folder, an occupancy source read from a folder the test fills edition
// by edition, an account to sign in with, and e-mail through the test's
// loopback SMTP server on `smtpPort`.
export const alertsURL = `http://127.0.0.1:${port + 4}`;
export const smtpPort = port + 5;
export const alertsAccount = { name: 'gerente', password: 'end-to-end test password' };
// Named by the port, not made anew: the test workers evaluate this file
// again and must find the folders the server was started with.
const alertsHome = path.join(tmpdir(), `sentinela-e2e-alerts-${port}`);
export const alertsInput = path.join(alertsHome, 'input');
export const alertsEnv = {
  SENTINELA_DATA_DIR: path.join(alertsHome, 'data'),
  SENTINELA_SOURCES: path.join(alertsHome, 'sources.toml'),
  SENTINELA_SMTP_HOST: '127.0.0.1',
  SENTINELA_SMTP_PORT: String(smtpPort),
  SENTINELA_SMTP_SECURITY: 'none',
  SENTINELA_PUBLIC_URL: alertsURL,
  // The test's webhook receiver listens on loopback over plain HTTP.
  SENTINELA_ALERTS_HTTP_LOOPBACK: 'true',
  RUST_LOG: 'warn',
};
const alertsSources = `[[source]]
name = "occupancy-snapshots"
title = "Ocupação de leitos"
kind = "http"
url = "https://example.invalid/leito_ocupacao.csv.gz"
format = "occupancy-snapshot"
file = "data_*.csv.gz"
history = true
`;
// The data server's sources, written when it starts.
const dataSources = path.join(mkdtempSync(path.join(tmpdir(), 'sentinela-e2e-sources-')), 'sources.toml');
const leptosEnv = (serverPort: number) => ({
  LEPTOS_OUTPUT_NAME: 'sentinela',
  LEPTOS_SITE_ROOT: path.join(root, 'target', 'site'),
  LEPTOS_SITE_PKG_DIR: 'pkg',
  // The build names its files by their hash, listed in hash.txt beside the binary.
  LEPTOS_HASH_FILES: 'true',
  LEPTOS_SITE_ADDR: `127.0.0.1:${serverPort}`,
  LEPTOS_ENV: 'PROD',
  // No fetch from the tests: the pages are read before or after an ingest.
  SENTINELA_SCHEDULER: 'false',
  SENTINELA_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'sentinela-e2e-')),
});

const chromium = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    launchOptions: chromium,
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], launchOptions: chromium } },
    {
      name: 'phone',
      use: { ...devices['Pixel 7'], viewport: { width: 360, height: 780 }, launchOptions: chromium },
      // The weight budgets measure the build, not the viewport: once is enough.
      // The alerts' path runs once, on its own server and account.
      testIgnore: /(budget|alerts)\.spec\.ts/,
    },
  ],
  webServer: [
    {
      command: binary,
      cwd: root,
      url: `${baseURL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: leptosEnv(port),
    },
    {
      // The benchmark's sources and the weekly SIVEP vintages: all of
      // ../shared/data, then the vintages of ../shared/history.
      command:
        `cat bench/sources.toml end2end/vintages.toml >"${dataSources}"` +
        ` && "${binary}" ingest --from "${path.join(root, '..', 'shared', 'data')}" >/dev/null` +
        ` && "${binary}" ingest --from "${path.join(root, '..', 'shared', 'history')}" >/dev/null` +
        ` && exec "${binary}"`,
      cwd: root,
      url: `${dataURL}/healthz`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: {
        ...leptosEnv(port + 1),
        SENTINELA_SOURCES: dataSources,
        RUST_LOG: 'warn',
        // The intranet that may frame the dashboard (tests/embed.spec.ts).
        SENTINELA_FRAME_ANCESTORS: `'self' ${intranetURLs.join(' ')}`,
        SENTINELA_SIGNING_KEY: signingKey,
      },
    },
    {
      command:
        `rm -rf "${alertsHome}" && mkdir -p "${alertsInput}" "${alertsEnv.SENTINELA_DATA_DIR}"` +
        ` && printf '%s' '${alertsSources}' >"${alertsEnv.SENTINELA_SOURCES}"` +
        ` && printf '%s\\n' '${alertsAccount.password}' | "${binary}" account add ${alertsAccount.name} >/dev/null` +
        ` && exec "${binary}"`,
      cwd: root,
      url: `${alertsURL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        ...leptosEnv(port + 4),
        ...alertsEnv,
        SENTINELA_ALERTS_POLL_MILLIS: '200',
      },
    },
  ],
});
