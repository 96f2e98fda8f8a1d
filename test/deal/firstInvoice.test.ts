/** The validation summary explains the first invoice: recurring fees with their period, one-time fees, VAT. */
import { describe, expect, it } from 'vitest';
import { toFirstInvoiceLines, toSignupSummary } from '../../src/core/mappers/toValidationResult.js';

const preview = {
  Order: {
    Currency: 'EUR',
    Total: 100,
    TotalVat: 19,
    TotalGross: 119,
    LineItems: [
      {
        Description: 'Pro – Monthly',
        Quantity: 1,
        TotalNet: 49,
        PeriodStart: '2026-03-01T00:00:00.000Z',
        PeriodEnd: '2026-03-31T23:59:59.000Z',
      },
      { Description: 'Users', Quantity: 5, TotalNet: 25, PeriodStart: '2026-03-01T00:00:00.000Z', PeriodEnd: '2026-03-31T23:59:59.000Z' },
      {
        Description: 'Setup fee',
        Quantity: 1,
        TotalNet: 26,
        PeriodStart: '2026-03-01T00:00:00.000Z',
        PeriodEnd: '2026-03-01T00:00:00.000Z',
      },
    ],
    Contract: { NextBillingDate: '2026-04-01T00:00:00.000Z' },
  },
};

describe('first invoice in the validation summary', () => {
  it('lists recurring fees with their period, one-time fees, and net + VAT = gross', () => {
    expect(toFirstInvoiceLines(preview as never)).toEqual([
      '  Pro – Monthly: 49.00 EUR net (recurring fee, 2026-03-01 to 2026-03-31)',
      '  Users × 5: 25.00 EUR net (recurring fee, 2026-03-01 to 2026-03-31)',
      '  Setup fee: 26.00 EUR net (one-time fee)',
      '  Net 100.00 EUR + VAT 19.00 EUR (19 %) = 119.00 EUR',
    ]);
  });

  it('sits under the first-invoice line of the summary; without line items nothing is added', () => {
    const summary = toSignupSummary({ preview: preview as never, customerLabel: 'new billwerk customer (created on apply)' }).split('\n');
    expect(summary[0]).toBe('First invoice: 119.00 EUR; next billing date: 2026-04-01.');
    expect(summary[1]).toContain('recurring fee');
    expect(toFirstInvoiceLines({ Order: { Total: 10, TotalGross: 11.9 } } as never)).toEqual([]);
  });
});
