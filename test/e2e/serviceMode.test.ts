/**
 * Service mode end to end (`npm start -- --mode service`): the workbench in headless Debian Chromium,
 * the project's real deal card calling the connector service through the sandbox's signed
 * `hubspot.fetch`, webhooks going to the service. New signup deal -> line items -> validate ->
 * Closed won -> apply -> a billwerk event -> the card shows the billing state. Skipped without
 * /usr/bin/chromium outside CI, like test/e2e/workbench.test.ts.
 */
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_TESTS_RUN, CHROMIUM, launchChromium } from '../support/browser.js';
import { toProductSku } from '../../src/core/mappers/toProductProperties.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';

const RUN = BROWSER_TESTS_RUN;
if (!RUN) console.warn(`test/e2e/serviceMode skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

describe.skipIf(!RUN)('workbench in service mode', () => {
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, env: {}, backend: 'service' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it('runs a new signup deal to its billing state through the connector service', async () => {
    const billwerk = sandbox.billwerk!;
    const company = sandbox.hubspot!.seeded!.companies[0]!;
    const seeded = billwerk.seeded![company.entityId]!;
    const serviceCalls: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/hubspot-fetch')) serviceCalls.push(request.postData() ?? '');
    });

    await page.goto(sandbox.urls.workbench);
    await page.getByTestId('new-deal-company').selectOption(company.id);
    await page.getByTestId('new-deal').click();
    const card = page.frameLocator('[data-testid="card-frame-billwerk_deal_card"]');
    await expect.poll(() => card.getByTestId('deal-type').textContent()).toBe('Signup');
    for (const [sku, quantity] of [
      [toProductSku('PlanVariant', seeded.planVariants.proMonthly.Id, company.entityId), 1],
      [toProductSku('Component', seeded.components.users.Id, company.entityId), 2],
    ] as const) {
      const { products } = (await (await page.request.get(`${sandbox.urls.workbench}api/products`)).json()) as {
        products: { id: string; sku: string }[];
      };
      await page.getByTestId('line-item-product').selectOption(products.find((p) => p.sku === sku)!.id);
      await page.locator('.wb-qty').fill(String(quantity));
      await page.getByTestId('add-line-item').click();
      await page.getByTestId('record-panel').getByText(sku).waitFor();
    }

    await card.getByTestId('validate').click();
    await expect.poll(() => card.getByTestId('validation-status').textContent()).toBe('Successfully validated');
    await page.getByTestId('close-won').click();
    await expect.poll(() => card.getByTestId('apply').isEnabled()).toBe(true);
    await card.getByTestId('apply').click();
    await expect.poll(() => card.getByTestId('deal-feedback').textContent(), { timeout: 15_000 }).toContain('Change applied');
    const contractId = (await card.getByTestId('deal-contract').textContent())!;
    expect(billwerk.store.getContract(contractId, company.entityId).ComponentSubscriptions.map((s) => s.Quantity)).toEqual([2]);

    await page.getByTestId('event-kind').selectOption('PaymentEscalated');
    await page.getByTestId('event-contract').selectOption(contractId);
    await page.getByTestId('fire-event').click();
    await expect.poll(() => card.getByTestId('billing-escalation').textContent(), { timeout: 15_000 }).toBe('Payment escalated');

    // The card went through hubspot.fetch to the service, never to the function runner.
    expect(serviceCalls.some((body) => body.includes('/functions/validate_deal'))).toBe(true);
    expect(serviceCalls.some((body) => body.includes('/functions/apply_deal'))).toBe(true);
    expect(await card.getByTestId('host-crash').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
