/** The HubSpot-enforced lease (src/core/lock.ts): one holder across concurrent callers, expiry, takeover, release. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LEASE, LEASE_OBJECT } from '../../src/core/catalog.js';
import { acquireLease, readLease, releaseLease, renewLease, type LeaseAttempt } from '../../src/core/lock.js';
import { useSimulators } from '../support/simulators.js';
import { hubspotProfile, losingAnswer, withLatency } from './latency.js';

const ctx = useSimulators({ seed: false });
const TTL = 60_000;
/** A separate client per caller (separate processes share nothing but HubSpot), with HubSpot's latency. */
const caller = () => withLatency(ctx.deps().hubspot, hubspotProfile);
const liveLeaseRecords = () => ctx.hubspot.store.list(LEASE_OBJECT).filter((r) => r.properties[LEASE.key]);

describe('acquireLease', () => {
  it.each([2, 5, 10])('%i concurrent callers: exactly one holds the lease, the others are told who', async (n) => {
    const now = new Date();
    const holders = Array.from({ length: n }, () => randomUUID());
    const attempts = await Promise.all(holders.map((holder) => acquireLease(caller(), 'deal-apply:42', { holder, ttlMs: TTL, now })));

    const winners = attempts.filter((a): a is Extract<LeaseAttempt, { acquired: true }> => a.acquired);
    expect(winners).toHaveLength(1);
    const winner = winners[0]!.lease;
    for (const a of attempts) if (!a.acquired) expect(a.heldBy).toMatchObject({ holder: winner.holder, recordId: winner.recordId });
    expect(liveLeaseRecords()).toHaveLength(1);
  });

  it('another key is independent', async () => {
    const now = new Date();
    const [a, b] = await Promise.all([
      acquireLease(caller(), 'deal-apply:1', { holder: 'a', ttlMs: TTL, now }),
      acquireLease(caller(), 'deal-apply:2', { holder: 'b', ttlMs: TTL, now }),
    ]);
    expect([a.acquired, b.acquired]).toEqual([true, true]);
  });

  it('the lock record is a company an admin can recognise, and it is gone once released', async () => {
    const attempt = await acquireLease(caller(), 'deal-apply:42', { holder: 'me', ttlMs: TTL, now: new Date() });
    expect(liveLeaseRecords().map((r) => r.properties.name)).toEqual([
      'billwerk connector lock deal-apply:42 (removed automatically, do not edit)',
    ]);
    if (attempt.acquired) await releaseLease(caller(), attempt.lease);
    expect(liveLeaseRecords()).toEqual([]);
  });

  it('a create whose answer was lost still counts as ours (the record names our holder)', async () => {
    const lossy = losingAnswer(ctx.deps().hubspot, { method: 'createObject' });
    const attempt = await acquireLease(lossy, 'k', { holder: 'me', ttlMs: TTL, now: new Date() });
    expect(attempt).toMatchObject({ acquired: true, lease: { holder: 'me' } });
    expect(liveLeaseRecords()).toHaveLength(1);
  });

  it('an expired lease is taken over by exactly one of several takers, and the old record is archived', async () => {
    const start = new Date('2026-12-01T10:00:00Z');
    const first = await acquireLease(caller(), 'k', { holder: 'dead', ttlMs: TTL, now: start });
    expect(first.acquired).toBe(true);
    const oldId = first.acquired ? first.lease.recordId : '';

    const later = new Date(start.getTime() + TTL + 1);
    const takers = await Promise.all(
      ['t1', 't2', 't3', 't4', 't5'].map((holder) => acquireLease(caller(), 'k', { holder, ttlMs: TTL, now: later })),
    );

    expect(takers.filter((t) => t.acquired)).toHaveLength(1);
    expect(liveLeaseRecords()).toHaveLength(1);
    expect(ctx.hubspot.store.get(LEASE_OBJECT, oldId)).toBeUndefined();
    expect((await readLease(ctx.deps().hubspot, 'k'))?.holder).not.toBe('dead');
  });

  it('a live lease is not taken over', async () => {
    const now = new Date();
    await acquireLease(caller(), 'k', { holder: 'alive', ttlMs: TTL, now });
    const second = await acquireLease(caller(), 'k', { holder: 'other', ttlMs: TTL, now: new Date(now.getTime() + TTL - 1) });
    expect(second).toMatchObject({ acquired: false, heldBy: { holder: 'alive' } });
  });

  it('a refusal that no holder explains fails loudly instead of being taken for "held"', async () => {
    ctx.hubspot.simulator.failNext(3, 400, {
      match: /\/objects\/companies$/,
      body: { status: 'error', category: 'VALIDATION_ERROR', message: 'Property values were not valid' },
    });
    await expect(acquireLease(ctx.deps().hubspot, 'k', { holder: 'a', ttlMs: TTL, now: new Date() })).rejects.toThrow(/no record holds it/);
  });
});

describe('renewLease and releaseLease', () => {
  it('renewing extends the lease; after a takeover the old holder learns it lost', async () => {
    const start = new Date('2026-12-01T10:00:00Z');
    const got = await acquireLease(caller(), 'k', { holder: 'slow', ttlMs: TTL, now: start });
    if (!got.acquired) throw new Error('expected the lease');
    const renewed = await renewLease(caller(), got.lease, { ttlMs: TTL, now: new Date(start.getTime() + 30_000) });
    expect(renewed?.expiresAt.getTime()).toBe(start.getTime() + 90_000);
    // Still held at start + 61 s thanks to the renewal.
    const blocked = await acquireLease(caller(), 'k', { holder: 'eager', ttlMs: TTL, now: new Date(start.getTime() + TTL + 1_000) });
    expect(blocked.acquired).toBe(false);

    const taken = await acquireLease(caller(), 'k', { holder: 'taker', ttlMs: TTL, now: new Date(start.getTime() + 91_000) });
    expect(taken.acquired).toBe(true);
    expect(await renewLease(caller(), renewed!, { ttlMs: TTL, now: new Date(start.getTime() + 92_000) })).toBeUndefined();
    expect((await readLease(ctx.deps().hubspot, 'k'))?.holder).toBe('taker');
  });

  it('a renewal racing a takeover between its clear and its create keeps the lease with the holder', async () => {
    const start = new Date('2026-12-01T10:00:00Z');
    const got = await acquireLease(caller(), 'k', { holder: 'holder', ttlMs: TTL, now: start });
    if (!got.acquired) throw new Error('expected the lease');
    // The taker has cleared the key on the expired record but not yet created its own.
    ctx.hubspot.store.update(LEASE_OBJECT, got.lease.recordId, { [LEASE.key]: '' });
    const renewed = await renewLease(caller(), got.lease, { ttlMs: TTL, now: new Date(start.getTime() + TTL + 1) });
    expect(renewed).toBeDefined();
    const taker = await acquireLease(caller(), 'k', { holder: 'taker', ttlMs: TTL, now: new Date(start.getTime() + TTL + 2) });
    expect(taker).toMatchObject({ acquired: false, heldBy: { holder: 'holder' } });
  });

  it("release frees the key at once, is safe to repeat, and never frees a successor's lease", async () => {
    const start = new Date();
    const got = await acquireLease(caller(), 'k', { holder: 'a', ttlMs: TTL, now: start });
    if (!got.acquired) throw new Error('expected the lease');
    await releaseLease(caller(), got.lease);
    await releaseLease(caller(), got.lease);
    expect(liveLeaseRecords()).toHaveLength(0);

    const next = await acquireLease(caller(), 'k', { holder: 'b', ttlMs: TTL, now: start });
    expect(next.acquired).toBe(true);
    await releaseLease(caller(), got.lease); // the old holder releasing late
    expect((await readLease(ctx.deps().hubspot, 'k'))?.holder).toBe('b');
  });
});

describe('what the simulator enforces like HubSpot', () => {
  it('unique-value properties only on objects HubSpot allows them on (not line items)', async () => {
    const hubspot = ctx.deps().hubspot;
    const def = { name: 'my_unique', label: 'x', description: '', type: 'string', fieldType: 'text', hasUniqueValue: true } as const;
    await expect(hubspot.createProperty({ ...def, objectType: 'line_items', groupName: 'lineiteminformation' })).rejects.toThrow(
      /not supported for line_items/,
    );
    // Products: HubSpot documents batch upsert of products by a unique property (docs/products.md).
    await expect(hubspot.createProperty({ ...def, objectType: 'products', groupName: 'productinformation' })).resolves.toMatchObject({
      hasUniqueValue: true,
    });
    await expect(hubspot.createProperty({ ...def, objectType: 'companies', groupName: 'companyinformation' })).resolves.toMatchObject({
      hasUniqueValue: true,
    });
  });
});
