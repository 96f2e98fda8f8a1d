import { describe, expect, it } from 'vitest';
import { isTransient } from '../../src/core/events/failures.js';
import { billwerkErrorText, customerDiffers, statusProperties } from '../../src/core/customer/syncCustomer.js';

describe('customerDiffers', () => {
  const current = { Id: 'c1', CompanyName: 'ACME', VatId: null, Address: { Street: 'Main', City: 'Berlin', AddressLine2: undefined } };

  it('treats null, missing and empty as the same', () => {
    expect(
      customerDiffers(current, {
        CompanyName: 'ACME',
        VatId: null,
        PhoneNumber: null,
        Address: { Street: 'Main', City: 'Berlin', AddressLine2: null },
      }),
    ).toBe(false);
  });

  it('notices a changed top-level or address field', () => {
    expect(customerDiffers(current, { CompanyName: 'ACME GmbH' })).toBe(true);
    expect(customerDiffers(current, { Address: { Street: 'Main', City: 'Hamburg' } })).toBe(true);
    expect(customerDiffers(current, { VatId: 'DE1' })).toBe(true);
  });
});

describe('statusProperties', () => {
  const now = '2026-03-01T10:00:00.000Z';
  const record = (properties: Record<string, string | null>) => ({ id: '1', properties });

  it('writes success with a timestamp and clears the error', () => {
    expect(
      statusProperties(
        record({ billwerk_customer_sync_status: 'UpdateFailed', billwerk_customer_sync_error: 'x' }),
        { ok: true, changed: true },
        now,
      ),
    ).toEqual({
      billwerk_customer_sync_status: 'SuccessfullyUpdated',
      billwerk_customer_sync_error: '',
      billwerk_customer_synced_at: now,
    });
  });

  it('skips the write when the record already shows the same result and nothing changed', () => {
    expect(
      statusProperties(
        record({ billwerk_customer_sync_status: 'SuccessfullyUpdated', billwerk_customer_sync_error: null }),
        { ok: true, changed: false },
        now,
      ),
    ).toBeUndefined();
    expect(
      statusProperties(
        record({ billwerk_customer_sync_status: 'UpdateFailed', billwerk_customer_sync_error: 'same' }),
        { ok: false, message: 'same' },
        now,
      ),
    ).toBeUndefined();
  });

  it('writes a new error text', () => {
    expect(
      statusProperties(
        record({ billwerk_customer_sync_status: 'UpdateFailed', billwerk_customer_sync_error: 'old' }),
        { ok: false, message: 'new' },
        now,
      ),
    ).toEqual({
      billwerk_customer_sync_status: 'UpdateFailed',
      billwerk_customer_sync_error: 'new',
    });
  });
});

describe('billwerkErrorText', () => {
  it('explains a missing customer, a rejection and an outage in plain words', () => {
    expect(billwerkErrorText(Object.assign(new Error('Not Found'), { status: 404 }), 'c1')).toBe(
      'billwerk customer c1 was not found in this entity. Check the Entity and the billwerk customer id.',
    );
    expect(billwerkErrorText(Object.assign(new Error('VatId is invalid'), { status: 422 }), 'c1')).toBe(
      'billwerk rejected the customer update: VatId is invalid',
    );
    expect(billwerkErrorText(new Error('timeout of 10000ms exceeded'), 'c1')).toBe(
      'billwerk could not be reached (timeout of 10000ms exceeded). The next change or "Sync now" sends everything again.',
    );
  });
});

describe('isTransient', () => {
  it('retries outages, server errors and rate limits, not rejections', () => {
    expect(isTransient(new Error('socket hang up'))).toBe(true);
    expect(isTransient(Object.assign(new Error('x'), { status: 0 }))).toBe(true);
    expect(isTransient(Object.assign(new Error('x'), { status: 429 }))).toBe(true);
    expect(isTransient(Object.assign(new Error('x'), { status: 502 }))).toBe(true);
    expect(isTransient(Object.assign(new Error('x'), { status: 422 }))).toBe(false);
    expect(isTransient(Object.assign(new Error('x'), { status: 404 }))).toBe(false);
  });
});
