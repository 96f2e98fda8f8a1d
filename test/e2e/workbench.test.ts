/**
 * The sandbox end to end, as a newcomer would use it: the workbench in headless Debian Chromium, the
 * project's real deal card in it, the connector's functions and both simulators behind it.
 * Signup deal created in the workbench -> line items -> validate -> Closed won -> apply -> billwerk
 * events -> the card shows the billing state; a company edit reaches the billwerk customer.
 * Saves a screenshot to test-results/workbench.png; with UPDATE_SCREENSHOTS=1 it refreshes the README's
 * docs/workbench.png instead (tests never rewrite tracked files on their own).
 *
 * Needs /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it). Outside CI the test is
 * skipped when it is missing; in CI (CI=true) it runs and fails instead.
 */
import { fileURLToPath } from 'node:url';
import { type Browser, type FrameLocator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_TESTS_RUN, CHROMIUM, launchChromium } from '../support/browser.js';
import { COMPANY } from '../../src/core/catalog.js';
import { toProductSku } from '../../src/core/mappers/toProductProperties.js';
// Types only: the sandbox (esbuild, both simulators) is loaded by the tests that run, not when they are skipped.
import type { Sandbox } from '../../src/sandbox/sandbox.js';

const RUN = BROWSER_TESTS_RUN;
if (!RUN) console.warn(`test/e2e skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);

const SCREENSHOT = fileURLToPath(
  new URL(process.env.UPDATE_SCREENSHOTS === '1' ? '../../docs/workbench.png' : '../../test-results/workbench.png', import.meta.url),
);

describe.skipIf(!RUN)('sandbox workbench in Chromium', () => {
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // No credentials: both sides simulated, whatever the developer's shell holds.
    const { startSandbox } = await import('../../src/sandbox/sandbox.js');
    sandbox = await startSandbox({ port: 0, env: {} });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it('runs a signup deal from creation to billing state, and a company edit reaches billwerk', async () => {
    const billwerk = sandbox.billwerk!;
    const hubspot = sandbox.hubspot!;
    const company = hubspot.seeded!.companies[0]!;
    const seeded = billwerk.seeded![company.entityId]!;

    await page.goto(sandbox.urls.workbench);

    // A rep creates a signup deal for the company and adds a plan and 3 extra users as line items.
    await page.getByTestId('new-deal-company').selectOption(company.id);
    await page.getByTestId('new-deal').click();
    const card = page.frameLocator('[data-testid="card-frame-billwerk_deal_card"]');
    await expect.poll(() => card.getByTestId('deal-type').textContent()).toBe('Signup');
    await addLineItem(page, toProductSku('PlanVariant', seeded.planVariants.proMonthly.Id, company.entityId), 1);
    await addLineItem(page, toProductSku('Component', seeded.components.users.Id, company.entityId), 3);

    // Validate: billwerk's order preview is accepted; apply waits for Closed won.
    await card.getByTestId('validate').click();
    await expect.poll(() => card.getByTestId('validation-status').textContent()).toBe('Successfully validated');
    expect(await card.getByTestId('apply').isDisabled()).toBe(true);

    await page.getByTestId('close-won').click();
    await expect.poll(() => card.getByTestId('apply').isEnabled()).toBe(true);

    // Apply: the card names the new contract, which exists in billwerk with the 3 users.
    await card.getByTestId('apply').click();
    await expect.poll(() => card.getByTestId('deal-feedback').textContent(), { timeout: 15_000 }).toContain('Change applied');
    const contractId = (await card.getByTestId('deal-contract').textContent())!;
    const contract = billwerk.store.getContract(contractId, company.entityId);
    expect(contract.ComponentSubscriptions.map((s) => s.Quantity)).toEqual([3]);
    await expect.poll(() => page.getByTestId('billwerk-contracts').first().textContent()).toContain(contractId);

    // billwerk events arrive through the webhook endpoint and show on the card.
    await fireEvent(page, 'PaymentEscalated', contractId);
    await expect.poll(() => card.getByTestId('billing-escalation').textContent(), { timeout: 15_000 }).toBe('Payment escalated');
    const invoices = () => billwerk.store.listInvoices({ contractId }, company.entityId);
    const invoicesBefore = new Set(invoices().map((i) => i.Id));
    await fireEvent(page, 'InvoiceCreated', contractId);
    await expect.poll(() => invoices().length).toBe(invoicesBefore.size + 1);
    // The one invoice the event created (the list is newest first; position says nothing).
    const invoice = invoices().find((i) => !invoicesBefore.has(i.Id))!;
    await expect.poll(() => card.getByTestId('billing-last-invoice').textContent(), { timeout: 15_000 }).toContain(invoice.InvoiceNumber!);
    await expect.poll(() => page.getByTestId('billwerk-panel').textContent()).toContain(invoice.InvoiceNumber!);

    // The card's billing section in view: the card column scrolled to its end.
    await page.locator('.wb-cards').evaluate((column) => column.scrollTo(0, column.scrollHeight));
    await page.screenshot({ path: SCREENSHOT });

    // A company edit in the CRM becomes a signed HubSpot webhook and updates the billwerk customer.
    await page.getByTestId('type-companies').click();
    await page.getByTestId(`record-companies-${company.id}`).click();
    await page.getByTestId('edit-property').selectOption('city');
    await page.getByTestId('edit-value').fill('Augsburg');
    await page.getByTestId('save-property').click();
    const customerId = hubspot.store.require('companies', company.id).properties[COMPANY.customerId]!;
    await expect
      .poll(() => (billwerk.store.getCustomer(customerId, company.entityId).Address as { City?: string } | undefined)?.City, {
        timeout: 15_000,
      })
      .toBe('Augsburg');
    const companyCard = page.frameLocator('[data-testid="card-frame-billwerk_company_card"]');
    await expect.poll(() => companyCard.getByTestId('customer-id').textContent()).toBe(customerId);

    // Every component the cards used has a DOM stand-in, and no card code crashed.
    for (const frame of [card, companyCard]) {
      expect(await frame.getByTestId('unknown-component').count()).toBe(0);
      expect(await frame.getByTestId('host-crash').count()).toBe(0);
    }
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('shows the settings page with the product sync run at start-up', async () => {
    await page.goto(sandbox.urls.workbench);
    await page.getByTestId('view-settings').click();
    const settings: FrameLocator = page.frameLocator('[data-testid="settings-frame"]');
    await expect.poll(() => settings.locator('body').textContent(), { timeout: 15_000 }).toMatch(/Product sync/i);
    expect(await settings.getByTestId('host-crash').count()).toBe(0);
    expect(await settings.getByTestId('unknown-component').count()).toBe(0);
  }, 60_000);
});

describe.skipIf(!RUN)('sandbox host edge cases in Chromium', () => {
  let sandbox: Sandbox;
  let browser: Browser;

  beforeAll(async () => {
    const { startSandbox } = await import('../../src/sandbox/sandbox.js');
    sandbox = await startSandbox({ port: 0, env: {}, prepareDemo: false });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it('shows an unknown component as a named placeholder and a crash of card code in the card', async () => {
    // The settings page's frame, with its bundle swapped for a fixture extension built the same way.
    const { Bundles } = await import('../../src/sandbox/bundles.js');
    const bundles = new Bundles();
    const fixture = await bundles.extension(fileURLToPath(new URL('./fixtures/HostEdgesCard.tsx', import.meta.url)));
    await bundles.dispose();
    const page = await browser.newPage();
    await page.route('**/bundles/billwerk_settings.js', (route) => route.fulfill({ contentType: 'text/javascript', body: fixture }));
    await page.goto(`${sandbox.urls.workbench}extensions/billwerk_settings`);

    await expect.poll(() => page.getByTestId('unknown-component').textContent()).toContain('<Accordion>');
    expect(await page.getByTestId('inside-unknown').textContent()).toBe('Text inside the unknown component');
    expect(await page.getByTestId('before').isVisible()).toBe(true);

    await page.getByTestId('explode').click();
    await expect.poll(() => page.getByTestId('host-crash').first().textContent()).toContain('card code failed on purpose');
    await page.close();
  }, 60_000);
});

async function addLineItem(page: Page, sku: string, quantity: number): Promise<void> {
  const response = await page.request.get(`${new URL(page.url()).origin}/api/products`);
  const { products } = (await response.json()) as { products: { id: string; sku: string }[] };
  const product = products.find((p) => p.sku === sku);
  if (!product) throw new Error(`product with SKU ${sku} was not synced to the simulated HubSpot`);
  await page.getByTestId('line-item-product').selectOption(product.id);
  await page.locator('.wb-qty').fill(String(quantity));
  await page.getByTestId('add-line-item').click();
  await page.getByTestId('record-panel').getByText(sku).waitFor();
}

async function fireEvent(page: Page, event: string, contractId: string): Promise<void> {
  await page.getByTestId('event-kind').selectOption(event);
  await page.getByTestId('event-contract').selectOption(contractId);
  await page.getByTestId('fire-event').click();
}
