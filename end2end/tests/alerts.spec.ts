// The alerts' whole path, as a sales manager meets it: sign in, create a
// rule on /alertas ("Alagoas's ICU occupancy at least 80 %", by e-mail and
// by a webhook whose signing key the page shows once),
// then the occupancy snapshots arrive edition by edition and are ingested
// by the real binary, as the production ingest job would: Alagoas's rate is
// 76.5 % up to 2021-03-08, 80.4 % up to 03-11 (one e-mail), the same again
// (nothing more), 78.4 % up to 03-17 (clears: nothing), 81.5 % up to 03-18
// (one more). The e-mails reach a real SMTP server on loopback, the
// webhooks an HTTP receiver on loopback that checks their signature.
import { expect, test } from '@playwright/test';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { alertsAccount, alertsEnv, alertsInput, alertsURL, binary, smtpPort } from '../playwright.config';

const snapshots = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'occupancy');
const mailbox = path.join(mkdtempSync(path.join(tmpdir(), 'sentinela-e2e-mail-')), 'messages.jsonl');
let smtp: ChildProcess;
let receiver: Server;
/** The webhooks received: their body and signature header. */
const hooks: { body: string; signature: string }[] = [];

type Mail = { to: string[]; subject: string; text: string; list_unsubscribe: string };

function messages(): Mail[] {
  if (!existsSync(mailbox)) return [];
  return readFileSync(mailbox, 'utf8')
    .split('\n')
    .filter((line) => line)
    .map((line) => JSON.parse(line));
}

/** Puts every snapshot up to `day` in the source's folder and ingests it. */
function ingestUpTo(day: string) {
  for (const name of readdirSync(snapshots)) {
    const dated = name.match(/^data_(\d{4}-\d{2}-\d{2})/)?.[1];
    const target = path.join(alertsInput, name);
    if (dated && dated <= day && !existsSync(target)) symlinkSync(path.join(snapshots, name), target);
  }
  execFileSync(binary, ['ingest', '--from', alertsInput], {
    env: { ...process.env, ...alertsEnv },
    stdio: 'ignore',
  });
}

/** Waits for the mailbox to hold `count` messages, then a while longer to
 * see that no other arrives (the server polls its outbox every 200 ms). */
async function expectMessages(count: number) {
  await expect.poll(() => messages().length, { timeout: 20_000 }).toBe(count);
  await new Promise((done) => setTimeout(done, 1_500));
  expect(messages()).toHaveLength(count);
}

test.beforeAll(async () => {
  const sink = process.env.SENTINELA_TEST_SMTP_SINK;
  if (!sink) throw new Error('SENTINELA_TEST_SMTP_SINK is not set: run scripts/test');
  const [command, ...args] = sink.split(' ');
  smtp = spawn(command, [...args, String(smtpPort), mailbox], { stdio: 'ignore' });
  // Ready once it accepts a connection.
  const net = await import('node:net');
  await expect
    .poll(
      () =>
        new Promise<boolean>((ready) => {
          const socket = net.connect(smtpPort, '127.0.0.1', () => {
            socket.end();
            ready(true);
          });
          socket.on('error', () => ready(false));
        }),
      { timeout: 20_000 },
    )
    .toBe(true);
});

test.afterAll(() => {
  smtp?.kill();
  receiver?.close();
});

/** Starts the webhook receiver on a free loopback port; its URL. */
async function startReceiver(): Promise<string> {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      hooks.push({ body, signature: String(request.headers['x-sentinela-signature'] ?? '') });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((listening) => receiver.listen(0, '127.0.0.1', listening));
  const address = receiver.address();
  if (!address || typeof address === 'string') throw new Error('no receiver port');
  return `http://127.0.0.1:${address.port}/sentinela`;
}

/** Waits for the receiver to hold `count` webhooks, then a while longer. */
async function expectHooks(count: number) {
  await expect.poll(() => hooks.length, { timeout: 20_000 }).toBe(count);
  await new Promise((done) => setTimeout(done, 1_500));
  expect(hooks).toHaveLength(count);
}

test('a rule made on the page e-mails and calls its webhook once per crossing of its line', async ({ page }) => {
  test.setTimeout(180_000);
  const hookURL = await startReceiver();
  ingestUpTo('2021-03-08');

  await page.goto(`${alertsURL}/alertas`);
  await page.locator('.alerts a', { hasText: 'Entrar' }).click();
  await page.fill('input[name=usuario]', alertsAccount.name);
  await page.fill('input[name=senha]', alertsAccount.password);
  await page.click('.sign-in button[type=submit]');
  await expect(page).toHaveURL(/\/alertas$/);
  await expect(page.getByText('Nenhum alerta ainda')).toBeVisible();

  // The new rule's form (the digest's form has an address field too).
  const form = page.locator('form[action="/alertas"]');
  await form.locator('input[name=nome]').fill('UTI de Alagoas acima de 80%');
  await form.locator('select[name=local]').selectOption('uf:AL');
  await form.locator('select[name=indicador]').selectOption('icu-all');
  await form.locator('select[name=condicao]').selectOption('at_least');
  await form.locator('input[name=valor]').fill('80');
  await form.locator('input[name=email]').fill('gerente@example.com');
  await form.locator('input[name=webhook]').fill(hookURL);
  await form.getByRole('button', { name: 'Criar alerta' }).click();
  // The webhook's signing key, shown this once.
  const key = (await page.locator('code[data-webhook-key]').textContent()) ?? '';
  expect(key).toMatch(/^whsec_/);
  await page.getByRole('link', { name: 'Voltar aos alertas' }).click();
  await expect(page.getByRole('status')).toHaveText('Alerta criado.');
  const rule = page.locator('tr[data-alert]');
  await expect(rule).toContainText('ocupação de leitos de UTI: pelo menos 80,0%');
  await expect(rule).toContainText('nenhum');

  ingestUpTo('2021-03-11');
  await expectMessages(1);
  const [mail] = messages();
  expect(mail.to).toEqual(['gerente@example.com']);
  expect(mail.subject).toBe('Alerta Sentinela: Alagoas — ocupação de leitos de UTI — 80,4%');
  expect(mail.text).toContain(`${alertsURL}/uf/AL`);
  expect(mail.list_unsubscribe).toContain(`${alertsURL}/alertas/cancelar?regra=`);
  await expectHooks(1);
  const [hook] = hooks;
  expect(hook.signature).toBe(createHmac('sha256', key).update(hook.body).digest('hex'));
  const payload = JSON.parse(hook.body);
  expect(payload.place).toBe('Alagoas');
  expect(payload.data_date).toBe('2021-03-11');
  expect(payload.value).toBeCloseTo(0.804, 3);

  ingestUpTo('2021-03-11');
  await expectMessages(1);
  ingestUpTo('2021-03-17');
  await expectMessages(1);
  ingestUpTo('2021-03-18');
  await expectMessages(2);
  expect(messages()[1].subject).toContain('81,5%');
  await expectHooks(2);
  expect(JSON.parse(hooks[1].body).data_date).toBe('2021-03-18');

  await page.reload();
  await expect(rule.locator('.firings li')).toHaveCount(2);
  await expect(rule.locator('.firings li').first()).toContainText('e-mail entregue');
  await expect(rule.locator('.firings li').first()).toContainText('webhook entregue');

  // The link in the e-mail: a button first, then the rule stops e-mailing.
  await page.goto(mail.list_unsubscribe.replace(/^<|>$/g, ''));
  await page.getByRole('button', { name: 'Não receber mais' }).click();
  await expect(page.getByRole('heading', { name: 'E-mails cancelados' })).toBeVisible();
});
