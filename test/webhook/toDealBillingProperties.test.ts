import { describe, expect, it } from 'vitest';
import { DEAL } from '../../src/core/catalog.js';
import type { Contract, Invoice } from '../../src/core/billwerk/schemas.js';
import {
  changedBillingProperties,
  noteworthyChanges,
  toDealBillingProperties,
} from '../../src/core/mappers/toDealBillingProperties.js';

const contract: Contract = {
  Id: '64b000000000000000000c01',
  CustomerId: '64b000000000000000000a01',
  Currency: 'EUR',
  Balance: -119,
  BilledUntil: '2026-12-01T00:00:00.0000000Z',
  NextBillingDate: '2026-12-01T00:00:00.0000000Z',
  LifecycleStatus: 'Active',
  PaymentProvider: 'PayOne',
  PaymentProviderRole: 'OnAccount',
  PaymentEscalated: false,
  EndDate: null,
};
const invoice: Invoice = { Id: 'inv1', InvoiceNumber: 'RE-1001', DocumentDate: '2026-11-01T10:00:00.1234567Z', TotalGross: 119 };

describe('toDealBillingProperties', () => {
  it('maps the contract and its newest invoice to the deal properties HubSpot stores', () => {
    expect(toDealBillingProperties(contract, invoice)).toEqual({
      [DEAL.balance]: '-119',
      [DEAL.currency]: 'EUR',
      [DEAL.billedUntil]: '2026-12-01T00:00:00.000Z',
      [DEAL.nextBillingDate]: '2026-12-01T00:00:00.000Z',
      [DEAL.lifecycleStatus]: 'Active',
      [DEAL.paymentProvider]: 'PayOne',
      [DEAL.paymentMethod]: 'OnAccount',
      [DEAL.endDate]: '',
      [DEAL.paymentEscalated]: 'false',
      [DEAL.lastInvoiceNumber]: 'RE-1001',
      [DEAL.lastInvoiceTotal]: '119',
      [DEAL.lastInvoiceDate]: '2026-11-01T10:00:00.123Z',
    });
  });

  it('prefers the payment bearer type as payment method and leaves unknown escalation and missing invoices alone', () => {
    const props = toDealBillingProperties({ ...contract, PaymentBearer: { Type: 'CreditCard' }, PaymentEscalated: undefined });
    expect(props[DEAL.paymentMethod]).toBe('CreditCard');
    expect(props).not.toHaveProperty(DEAL.paymentEscalated);
    expect(props).not.toHaveProperty(DEAL.lastInvoiceNumber);
  });
});

describe('changedBillingProperties', () => {
  it('treats values equal the way HubSpot stores them (numbers, datetimes, empty) as unchanged', () => {
    const stored = {
      [DEAL.balance]: '-119.00',
      [DEAL.billedUntil]: '1796083200000',
      [DEAL.endDate]: null,
      [DEAL.lifecycleStatus]: 'Active',
    };
    const next = {
      [DEAL.balance]: '-119',
      [DEAL.billedUntil]: '2026-12-01T00:00:00.000Z',
      [DEAL.endDate]: '',
      [DEAL.lifecycleStatus]: 'Active',
    };
    expect(changedBillingProperties(stored, next)).toEqual({});
  });

  it('returns only the properties that differ, including clearing a value', () => {
    const stored = { [DEAL.balance]: '0', [DEAL.endDate]: '2027-01-01T00:00:00.000Z' };
    expect(changedBillingProperties(stored, { [DEAL.balance]: '-5', [DEAL.endDate]: '' })).toEqual({ [DEAL.balance]: '-5', [DEAL.endDate]: '' });
  });
});

describe('noteworthyChanges', () => {
  it('notes lifecycle, end date and escalation changes but not balance moves', () => {
    const before = { [DEAL.lifecycleStatus]: 'Active', [DEAL.paymentEscalated]: 'false', [DEAL.balance]: '0' };
    const lines = noteworthyChanges(before, {
      [DEAL.lifecycleStatus]: 'Ended', [DEAL.endDate]: '2027-01-01T00:00:00.000Z', [DEAL.paymentEscalated]: 'true', [DEAL.balance]: '-10',
    });
    expect(lines).toEqual(['Lifecycle status: Active → Ended', 'Contract end date: none → 2027-01-01', 'Payment escalated: no → yes']);
  });

  it('says nothing about the first values written after the contract was created', () => {
    expect(noteworthyChanges({}, { [DEAL.lifecycleStatus]: 'Active', [DEAL.paymentEscalated]: 'false', [DEAL.paymentProvider]: 'PayOne' })).toEqual([]);
  });
});
