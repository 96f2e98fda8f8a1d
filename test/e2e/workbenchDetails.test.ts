/**
 * The workbench's rough edges a newcomer hit: seeded deal amounts equal their line items (and stay so
 * when a line item is added), billwerk's entities are shown by name, the record list does not clip
 * its tabs, and the property editor starts empty for every record. The server side runs without a
 * browser; the layout checks need /usr/bin/chromium (skipped without it, except in CI).
 */
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_TESTS_RUN, launchChromium } from '../support/browser.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';

const BROWSER = BROWSER_TESTS_RUN;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, env: {} });
}, 60_000);
afterAll(async () => sandbox?.close());

const get = async <T>(path: string): Promise<T> => (await fetch(new URL(path, sandbox.urls.workbench))).json() as Promise<T>;
interface Deal {
  properties: Record<string, string | null>;
  lineItems: { price: string; quantity: string }[];
}
const total = (deal: Deal) => deal.lineItems.reduce((sum, li) => sum + Number(li.price) * Number(li.quantity), 0);

describe('workbench data', () => {
  it('the seeded signup deal has line items and an amount equal to them, also after adding one', async () => {
    const dealId = sandbox.hubspot!.seeded!.signupDeal.id;
    const deal = await get<Deal>(`/api/records/deals/${dealId}`);
    expect(deal.lineItems.length).toBeGreaterThan(0);
    expect(Number(deal.properties.amount)).toBeCloseTo(total(deal), 2);

    const { products } = await get<{ products: { id: string; price: string }[] }>('/api/products');
    const priced = products.find((p) => Number(p.price) > 0)!;
    const response = await fetch(new URL(`/api/deals/${dealId}/line-items`, sandbox.urls.workbench), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ productId: priced.id, quantity: 2 }),
    });
    const after = (await response.json()) as Deal;
    expect(after.lineItems.length).toBe(deal.lineItems.length + 1);
    expect(Number(after.properties.amount)).toBeCloseTo(total(after), 2);
    expect(Number(after.properties.amount)).toBeGreaterThan(Number(deal.properties.amount));
  });

  it("billwerk's entities are listed by their names", async () => {
    const state = await get<{ entities: { entityId: string; entityName: string }[] }>('/api/billwerk');
    expect(state.entities.map((e) => e.entityName).sort()).toEqual(DEMO_ENTITIES.map((e) => e.name).sort());
  });
});

describe.skipIf(!BROWSER)('workbench layout in Chromium', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    // A narrow window, where clipping shows first.
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    await page.goto(sandbox.urls.workbench);
    await page.getByTestId('type-contacts').waitFor();
  }, 60_000);
  afterAll(async () => browser?.close());

  it('shows every record-type tab whole inside the record list', async () => {
    const picker = (await page.locator('.wb-picker').boundingBox())!;
    for (const type of ['deals', 'companies', 'contacts']) {
      const tab = (await page.getByTestId(`type-${type}`).boundingBox())!;
      expect(tab.x, type).toBeGreaterThanOrEqual(picker.x);
      expect(tab.x + tab.width, type).toBeLessThanOrEqual(picker.x + picker.width);
      const clipped = await page.getByTestId(`type-${type}`).evaluate((el) => el.scrollWidth > el.clientWidth);
      expect(clipped, `${type} tab text is cut off`).toBe(false);
    }
  });

  it('clears the property editor when another record is picked', async () => {
    const companies = sandbox.hubspot!.seeded!.companies;
    await page.getByTestId('type-companies').click();
    await page.getByTestId(`record-companies-${companies[0]!.id}`).click();
    await page.getByTestId('edit-property').selectOption('name');
    await expect.poll(() => page.getByTestId('edit-value').inputValue()).not.toBe('');
    await page.getByTestId(`record-companies-${companies[1]!.id}`).click();
    await expect.poll(() => page.getByTestId('edit-property').inputValue()).toBe('');
    expect(await page.getByTestId('save-property').isDisabled()).toBe(true);
  });

  it('names the entities in the billwerk panel', async () => {
    const summary = page.getByTestId(`billwerk-entity-${DEMO_ENTITIES[0]!.id}`);
    await summary.waitFor();
    expect(await summary.textContent()).toContain(DEMO_ENTITIES[0]!.name);
  });
});
