import { describe, expect, it } from 'vitest';
import { DEAL } from '../../src/core/catalog.js';
import type { Contract, Invoice } from '../../src/core/billwerk/schemas.js';
import {
  changedBillingProperties,
  noteworthyChanges,
  toDealBillingProperties,
  toEscalationProperties,
  type EscalationEvent,
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
      [DEAL.lastInvoiceNumber]: 'RE-1001',
      [DEAL.lastInvoiceTotal]: '119',
      [DEAL.lastInvoiceDate]: '2026-11-01T10:00:00.123Z',
    });
  });

  it('prefers the payment bearer type as payment method; a contract (which has no escalation field) never sets escalation', () => {
    const props = toDealBillingProperties({ ...contract, PaymentBearer: { Type: 'CreditCard' } });
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
    expect(changedBillingProperties(stored, { [DEAL.balance]: '-5', [DEAL.endDate]: '' })).toEqual({
      [DEAL.balance]: '-5',
      [DEAL.endDate]: '',
    });
  });
});

describe('noteworthyChanges', () => {
  it('notes lifecycle, end date and escalation changes but not balance moves', () => {
    const before = { [DEAL.lifecycleStatus]: 'Active', [DEAL.paymentEscalated]: 'false', [DEAL.balance]: '0' };
    const lines = noteworthyChanges(before, {
      [DEAL.lifecycleStatus]: 'Ended',
      [DEAL.endDate]: '2027-01-01T00:00:00.000Z',
      [DEAL.paymentEscalated]: 'true',
      [DEAL.balance]: '-10',
    });
    expect(lines).toEqual(['Lifecycle status: Active → Ended', 'Contract end date: none → 2027-01-01', 'Payment escalated: no → yes']);
  });

  it('says nothing about the first values written after the contract was created', () => {
    expect(
      noteworthyChanges({}, { [DEAL.lifecycleStatus]: 'Active', [DEAL.paymentEscalated]: 'false', [DEAL.paymentProvider]: 'PayOne' }),
    ).toEqual([]);
  });
});

describe("toEscalationProperties (billwerk's documented PaymentEscalated / PaymentEscalationReset payloads)", () => {
  // docu.billwerk.plus "Payment Escalated": { ContractId, CustomerId, TriggerDays: 5, DueDate, PaymentEscalationProcessId, Event, EntityId }
  const escalated = (dueDate: string, triggerDays: number): EscalationEvent => ({ kind: 'escalated', dueDate, triggerDays });
  const reset: EscalationEvent = { kind: 'reset' };
  const owing = { Balance: -119 };
  const now = new Date('2026-06-20T12:00:00Z');
  const apply = (events: EscalationEvent[], balance = owing, at = now) =>
    events.reduce<Record<string, string>>((deal, event) => ({ ...deal, ...toEscalationProperties(deal, balance, event, at) }), {});

  it('sets the flag with due date and trigger days, and a reset clears all three', () => {
    const after = apply([escalated('2022-06-09T00:00:00.0000000Z', 5)]);
    expect(after).toMatchObject({
      [DEAL.paymentEscalated]: 'true',
      [DEAL.paymentEscalationDueDate]: '2022-06-09T00:00:00.000Z',
      [DEAL.paymentEscalationTriggerDays]: '5',
    });
    expect(apply([escalated('2022-06-09T00:00:00Z', 5), reset])).toMatchObject({
      [DEAL.paymentEscalated]: 'false',
      [DEAL.paymentEscalationDueDate]: '',
      [DEAL.paymentEscalationTriggerDays]: '',
    });
  });

  it('a late PaymentEscalated after the reset that followed it (balance paid) leaves "not escalated"', () => {
    // billwerk resets only once the whole balance is cleared: the contract now owes nothing.
    const inOrder = apply([escalated('2026-06-01T00:00:00Z', 5), reset], { Balance: 0 });
    const reordered = apply([reset, escalated('2026-06-01T00:00:00Z', 5)], { Balance: 0 });
    expect(reordered[DEAL.paymentEscalated]).toBe('false');
    expect(reordered[DEAL.paymentEscalated]).toBe(inOrder[DEAL.paymentEscalated]);
  });

  it('a late PaymentEscalated whose step ran before a recorded manual reset is ignored even while money is owed', () => {
    const deal = apply([reset], owing, new Date('2026-06-20T09:00:00Z'));
    expect(toEscalationProperties(deal, owing, escalated('2026-06-10T00:00:00Z', 5), now)).toEqual({});
    // A step after the reset day is a new escalation.
    expect(toEscalationProperties(deal, owing, escalated('2026-06-18T00:00:00Z', 5), now)).toMatchObject({
      [DEAL.paymentEscalated]: 'true',
    });
  });

  it('reordered steps keep the later one (5-day after 10-day keeps 10); a newer receivable replaces them', () => {
    const due = '2026-06-01T00:00:00Z';
    expect(apply([escalated(due, 10), escalated(due, 5)])[DEAL.paymentEscalationTriggerDays]).toBe('10');
    expect(apply([escalated(due, 5), escalated(due, 10)])[DEAL.paymentEscalationTriggerDays]).toBe('10');
    expect(apply([escalated(due, 10), escalated('2026-06-12T00:00:00Z', 5)])).toMatchObject({
      [DEAL.paymentEscalationTriggerDays]: '5',
      [DEAL.paymentEscalationDueDate]: '2026-06-12T00:00:00.000Z',
    });
  });

  it('a plain contract read clears a stale flag when nothing is owed and leaves it alone otherwise', () => {
    const escalatedDeal = apply([escalated('2026-06-01T00:00:00Z', 5)]);
    expect(toEscalationProperties(escalatedDeal, { Balance: 0 }, undefined, now)[DEAL.paymentEscalated]).toBe('false');
    expect(toEscalationProperties(escalatedDeal, owing, undefined, now)).toEqual({});
  });
});
