import { describe, expect, it } from 'vitest';
import { toCart, toBillwerkDate, toSignupOrder } from '../../src/core/mappers/toBillwerkOrder.js';
import { productIdsToRead, toDealLineItems } from '../../src/core/mappers/toBillwerkItem.js';
import { toLineItemsHash } from '../../src/core/mappers/toLineItemsHash.js';
import { checkSignupDeal } from '../../src/core/deal/rules.js';
import { parseProgress, toProgressValue } from '../../src/core/mappers/toDealProperties.js';
import { toPreviewFigures, toSignupSummary } from '../../src/core/mappers/toValidationResult.js';
import { toDuplicateMatches } from '../../src/core/deal/duplicates.js';
import type { DealContext } from '../../src/core/deal/readDealContext.js';
import type { CrmRecord } from '../../src/core/hubspot/api.js';
import { DEMO_ENTITIES } from '../../src/simulators/constants.js';
import { COMP, OTHER, PV, PV2, ROOT, company, contact, deal, lineItem, sku } from './fixtures.js';

function context(
  overrides: Partial<{
    deal: ReturnType<typeof deal>;
    company: CrmRecord | undefined;
    contact: CrmRecord | undefined;
    lineItems: CrmRecord[];
    products: CrmRecord[];
  }> = {},
): DealContext {
  const lineItemRecords = overrides.lineItems ?? [lineItem('401', { name: 'Pro monthly', hs_sku: sku('PV', PV) })];
  const { items, problems } = toDealLineItems(lineItemRecords, overrides.products ?? []);
  const c = 'company' in overrides ? overrides.company : company();
  const p = 'contact' in overrides ? overrides.contact : contact();
  return {
    deal: overrides.deal ?? deal(),
    companies: c ? [c] : [],
    contacts: p ? [p] : [],
    company: c,
    contact: p,
    lineItemRecords,
    lineItems: items,
    lineItemProblems: problems,
    lineItemsHash: toLineItemsHash(lineItemRecords),
  };
}
const options = { environment: 'sandbox' as const, entities: DEMO_ENTITIES };

describe('line items -> billwerk items', () => {
  it('reads the billwerk item from the SKU HubSpot copied from the product, without the product', () => {
    const lines = [lineItem('401', { name: 'Pro', hs_sku: sku('PV', PV), hs_product_id: '9' })];
    expect(productIdsToRead(lines)).toEqual([]);
    expect(toDealLineItems(lines, []).items[0]!.item).toEqual({ type: 'PlanVariant', id: PV, entityId: ROOT });
  });

  it('falls back to the product when the SKU was edited', () => {
    const lines = [lineItem('401', { name: 'Seats', hs_sku: 'custom', hs_product_id: '9', quantity: '5' })];
    expect(productIdsToRead(lines)).toEqual(['9']);
    const product = { id: '9', properties: { billwerk_item_type: 'Component', billwerk_item_id: COMP, billwerk_entity: ROOT } };
    expect(toDealLineItems(lines, [product]).items[0]).toMatchObject({ quantity: 5, item: { type: 'Component', id: COMP } });
  });

  it('names a line item that is not a billwerk product and a bad quantity', () => {
    const { problems } = toDealLineItems(
      [
        lineItem('401', { name: 'Consulting', hs_product_id: '7' }),
        lineItem('402', { name: 'Pro', hs_sku: sku('PV', PV), quantity: '2' }),
        lineItem('403', { name: 'Seats', hs_sku: sku('C', COMP), quantity: '-1' }),
      ],
      [{ id: '7', properties: { name: 'Consulting' } }],
    );
    expect(problems).toEqual([
      expect.objectContaining({ record: 'line item "Consulting"', field: 'Product' }),
      expect.objectContaining({ record: 'line item "Pro"', field: 'Quantity' }),
      expect.objectContaining({ record: 'line item "Seats"', field: 'Quantity' }),
    ]);
  });
});

describe('order bodies', () => {
  it('builds one cart: plan variant, components added up per component, discounts', () => {
    const { items } = toDealLineItems(
      [
        lineItem('401', { name: 'Pro', hs_sku: sku('PV', PV) }),
        lineItem('402', { name: 'Seats', hs_sku: sku('C', COMP), quantity: '3' }),
        lineItem('403', { name: 'More seats', hs_sku: sku('C', COMP), quantity: '2' }),
        lineItem('404', { name: '10% off', hs_sku: sku('D', 'd1') }),
      ],
      [],
    );
    expect(toCart(items)).toEqual({
      PlanVariantId: PV,
      ComponentSubscriptions: [{ ComponentId: COMP, Quantity: 5 }],
      DiscountSubscriptions: [{ DiscountId: 'd1' }],
    });
  });

  it('orders for an existing customer by id and for a new one inline', () => {
    const { items } = toDealLineItems([lineItem('401', { name: 'Pro', hs_sku: sku('PV', PV) })], []);
    expect(toSignupOrder({ items, customerId: 'c1', startDate: '2026-04-01T00:00:00.000Z' })).toEqual({
      CustomerId: 'c1',
      Cart: { PlanVariantId: PV },
      StartDate: '2026-04-01T00:00:00.000Z',
    });
    expect(toSignupOrder({ items, customer: { CompanyName: 'X' } })).toEqual({
      Customer: { CompanyName: 'X' },
      Cart: { PlanVariantId: PV },
    });
  });

  it('reads HubSpot dates in both wire forms', () => {
    expect(toBillwerkDate('2026-04-01')).toBe('2026-04-01T00:00:00.000Z');
    expect(toBillwerkDate(String(Date.UTC(2026, 3, 1)))).toBe('2026-04-01T00:00:00.000Z');
    expect(toBillwerkDate('')).toBeUndefined();
    expect(toBillwerkDate('next week')).toBeNull();
  });
});

describe('line item fingerprint', () => {
  const a = lineItem('401', { hs_product_id: '9', quantity: '2', price: '10' });
  const b = lineItem('402', { hs_product_id: '8', quantity: '1', price: '5' });
  it('ignores order and number formatting, changes with quantity, product or a removed item', () => {
    expect(toLineItemsHash([a, b])).toBe(toLineItemsHash([b, lineItem('401', { hs_product_id: '9', quantity: '2.0', price: '10.00' })]));
    expect(toLineItemsHash([a, b])).not.toBe(toLineItemsHash([{ ...a, properties: { ...a.properties, quantity: '3' } }, b]));
    expect(toLineItemsHash([a, b])).not.toBe(toLineItemsHash([a]));
  });
});

describe('signup prerequisites', () => {
  it('accepts a complete deal', () => {
    expect(checkSignupDeal(context(), options)).toEqual([]);
  });

  it('names every missing contact and company field at once', () => {
    const problems = checkSignupDeal(
      context({
        company: company({
          name: 'Muster Software GmbH',
          billwerk_locale: null,
          country: null,
          billwerk_street: '',
          billwerk_house_number: null,
          zip: null,
        }),
        contact: contact({ firstname: null, lastname: ' ', email: null }),
      }),
      options,
    );
    expect(problems.map((p) => `${p.record} / ${p.field}`)).toEqual([
      'contact 201 / First Name',
      'contact 201 / Last Name',
      'contact 201 / Email',
      'company "Muster Software GmbH" / Locale',
      'company "Muster Software GmbH" / Country',
      'company "Muster Software GmbH" / Street',
      'company "Muster Software GmbH" / House Number',
      'company "Muster Software GmbH" / Postal Code',
    ]);
  });

  it('names a missing company name', () => {
    expect(checkSignupDeal(context({ company: company({ name: null }) }), options)).toEqual([
      expect.objectContaining({ record: 'company 101', field: 'Company Name' }),
    ]);
  });

  it('requires a company, a contact, a deal type and line items', () => {
    const problems = checkSignupDeal(
      context({ company: undefined, contact: undefined, deal: deal({ billwerk_deal_type: null }), lineItems: [] }),
      options,
    );
    expect(problems.map((p) => p.field)).toEqual(expect.arrayContaining(['Company', 'Contact', 'Deal Type (billwerk)', 'Line items']));
  });

  it('rejects mixed entities, naming the company and the line item', () => {
    const problems = checkSignupDeal(
      context({
        company: company({ billwerk_entity: OTHER }),
        contact: contact({ billwerk_entity: OTHER }),
        lineItems: [lineItem('401', { name: 'Pro', hs_sku: sku('PV', PV, OTHER) })],
      }),
      options,
    );
    expect(problems).toEqual([
      expect.objectContaining({ record: 'line item "Pro"', field: 'Entity', message: expect.stringContaining('"Demo Software AG"') }),
      expect.objectContaining({ record: 'company "Muster Software GmbH"', field: 'Entity' }),
    ]);
  });

  it('needs exactly one plan variant', () => {
    const none = checkSignupDeal(context({ lineItems: [lineItem('402', { name: 'Seats', hs_sku: sku('C', COMP) })] }), options);
    expect(none).toEqual([expect.objectContaining({ field: 'Line items', message: expect.stringContaining('has none') })]);
    const two = checkSignupDeal(
      context({
        lineItems: [lineItem('401', { name: 'Pro', hs_sku: sku('PV', PV) }), lineItem('402', { name: 'Team', hs_sku: sku('PV', PV2) })],
      }),
      options,
    );
    expect(two).toEqual([expect.objectContaining({ field: 'Line items', message: expect.stringContaining('has 2: "Pro", "Team"') })]);
  });

  it('rejects a payment term that is no number of days', () => {
    expect(checkSignupDeal(context({ deal: deal({ billwerk_payment_term_days: '14.5' }) }), options)).toEqual([
      expect.objectContaining({ field: 'Payment term (in days)' }),
    ]);
  });
});

describe('duplicates', () => {
  it('matches exactly, case-insensitively, and says why', () => {
    const matches = toDuplicateMatches(
      [
        { Id: 'a', EmailAddress: 'ERIKA@muster.example', CompanyName: 'Other' },
        { Id: 'b', CompanyName: 'muster software gmbh' },
        { Id: 'c', CompanyName: 'Muster Software GmbH & Co' },
        { Id: 'd', ExternalCustomerId: 'K-1', Hidden: true },
      ],
      { email: 'erika@muster.example', name: 'Muster Software GmbH', externalId: 'K-1' },
    );
    expect(matches.map((m) => [m.customer.Id, m.reasons])).toEqual([
      ['a', ['email']],
      ['b', ['company name']],
    ]);
  });
});

describe('preview summary', () => {
  it('shows first invoice total, currency and next billing date', () => {
    const preview = {
      Order: { Currency: 'EUR', Total: 100, TotalGross: 119, Contract: { NextBillingDate: '2026-05-01T00:00:00.0000000Z' } },
    };
    expect(toPreviewFigures(preview)).toMatchObject({
      currency: 'EUR',
      firstInvoiceTotal: 119,
      nextBillingDate: '2026-05-01T00:00:00.0000000Z',
    });
    expect(toSignupSummary({ preview, customerLabel: 'new billwerk customer', paymentTermDays: 14 })).toContain(
      'First invoice: 119.00 EUR; next billing date: 2026-05-01.',
    );
  });

  it('treats a zero gross beside a non-zero net as unknown gross', () => {
    expect(toPreviewFigures({ Total: 100, TotalGross: 0, Currency: 'EUR' }).firstInvoiceTotal).toBe(100);
  });
});

describe('apply progress', () => {
  it('round-trips the steps done, and reads anything unreadable as nothing done', () => {
    const progress = { orderId: 'O1', contractId: 'C1', customerId: 'K1', done: ['order', 'commit', 'note'] as const };
    expect(parseProgress(toProgressValue({ ...progress, done: [...progress.done] }))).toEqual({
      ...progress,
      done: ['order', 'commit', 'note'],
    });
    expect(parseProgress('not json')).toEqual({ done: [] });
    expect(parseProgress(undefined)).toEqual({ done: [] });
    expect(parseProgress('{"done":"order"}')).toEqual({ done: [] });
  });
});
