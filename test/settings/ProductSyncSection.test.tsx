import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Alert, DescriptionListItem, LoadingButton, LoadingSpinner, ProgressBar, StatusTag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { Outcome } from '../../src/app/settings/serverless.js';
import type * as Section from '../../src/app/settings/ProductSyncSection.js';
import type { ProductSyncReport } from '../../src/core/products/startProductSync.js';

vi.mock('../../src/app/settings/serverless.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/app/settings/serverless.js')>()),
  callFunction: vi.fn(),
}));
const { callFunction } = await import('../../src/app/settings/serverless.js');
const { ProductSyncSection } = await import('../../src/app/settings/ProductSyncSection.js');
const { FUNCTIONS } = await import('../../src/app/settings/types.js');
const call = vi.mocked(callFunction);

// Compile-time: the section's copy of the reply shape fits what the functions send.
export const reportFits = (r: ProductSyncReport): Section.ProductSyncReport => r;

const ok = <T,>(value: T): Outcome<T> => ({ ok: true, value });
const HOUR = 3_600_000;

function report(overrides: Partial<Section.ProductSyncReport> = {}): Section.ProductSyncReport {
  const finishedAt = new Date(Date.now() - HOUR).toISOString();
  return {
    status: 'done',
    busy: false,
    synced: 45,
    total: 45,
    left: 0,
    created: 3,
    updated: 2,
    archived: 1,
    unchanged: 40,
    errors: 0,
    errorItems: [],
    pendingChanges: 0,
    fullRunNeeded: false,
    upToDate: true,
    stale: false,
    trigger: 'scheduler',
    startedAt: finishedAt,
    finishedAt,
    lastCompleteAt: finishedAt,
    calls: 1,
    ...overrides,
  };
}

function renderSection() {
  const renderer = createRenderer('settings');
  renderer.render(<ProductSyncSection />);
  return renderer;
}

beforeEach(() => {
  call.mockReset();
});

describe('ProductSyncSection', () => {
  it('shows a spinner while the status loads', () => {
    call.mockImplementation(() => new Promise(() => {}));
    const { findByTestId } = renderSection();
    expect(findByTestId(LoadingSpinner, 'product-sync-loading')).toBeTruthy();
  });

  it('says in plain words why the status could not load (e.g. run setup first)', async () => {
    call.mockResolvedValue({ ok: false, problems: [{ record: 'product sync', message: 'Run setup first.' }] });
    const { findByTestId, waitFor } = renderSection();
    await waitFor(() => expect(findByTestId(Alert, 'product-sync-status-error').text).toContain('Run setup first.'));
  });

  it('shows "N of M items synced", the figures, and Up to date only when the report says so', async () => {
    call.mockResolvedValue(ok(report()));
    const { findByTestId, findAll, maybeFind, waitFor } = renderSection();
    await waitFor(() => expect(findByTestId(StatusTag, 'product-sync-freshness').text).toBe('Up to date'));
    expect(findByTestId(ProgressBar, 'product-sync-progress').props.valueDescription).toBe('45 of 45 items synced');
    const items = Object.fromEntries(findAll(DescriptionListItem).map((i) => [i.props.label, i.text]));
    expect(items).toMatchObject({ Created: '3', Updated: '2', Archived: '1', Unchanged: '40', Errors: '0' });
    expect(items.Run).toContain('(scheduled)');
    expect(maybeFind(Alert)).toBeNull();
  });

  it('a done run with changes waiting is not up to date and says what is left', async () => {
    call.mockResolvedValue(ok(report({ upToDate: false, pendingChanges: 3 })));
    const { findByTestId, waitFor } = renderSection();
    await waitFor(() => expect(findByTestId(StatusTag, 'product-sync-freshness').text).toBe('Out of date'));
    expect(findByTestId(Text, 'product-sync-remaining').text).toContain('3 billwerk catalog changes waiting');
  });

  it('warns when products were never synchronized', async () => {
    call.mockResolvedValue(
      ok(report({ status: 'never', synced: 0, total: undefined, upToDate: false, stale: true, lastCompleteAt: undefined })),
    );
    const { findByTestId, waitFor } = renderSection();
    await waitFor(() => expect(findByTestId(Alert, 'product-sync-stale').text).toContain('Start the sync of products'));
  });

  it('lists the errors by item', async () => {
    call.mockResolvedValue(
      ok(report({ upToDate: false, errors: 1, errorItems: [{ label: 'plan variant "Pro"', message: 'price is not a number' }] })),
    );
    const { findByTestId, waitFor } = renderSection();
    await waitFor(() => expect(findByTestId(Alert, 'product-sync-run-errors').text).toContain('plan variant "Pro": price is not a number'));
  });

  it('keeps calling while the run is in progress, waits while another call holds it, then shows the result', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const replies = [
        report({ status: 'running', synced: 100, total: undefined, upToDate: false }),
        report({ status: 'running', busy: true, synced: 300, total: undefined, upToDate: false }),
        report({ status: 'done', synced: 450, total: 450 }),
      ];
      call.mockImplementation(async (name: string) => {
        if (name === FUNCTIONS.productSyncStatus) return ok(report({ status: 'never', synced: 0, upToDate: false, stale: true })) as never;
        const starts = call.mock.calls.filter(([n]) => n === FUNCTIONS.productSyncStart).length;
        return ok(replies[Math.min(starts, replies.length) - 1]!) as never;
      });
      const { find, findByTestId, waitFor } = renderSection();
      await waitFor(() => expect(findByTestId(StatusTag, 'product-sync-freshness')).toBeTruthy());
      find(LoadingButton).trigger('onClick');
      await waitFor(() =>
        expect(findByTestId(ProgressBar, 'product-sync-progress').props.valueDescription).toBe('300 items synced so far'),
      );
      expect(find(LoadingButton).props.loading).toBe(true);
      await vi.advanceTimersByTimeAsync(2_500);
      await waitFor(() =>
        expect(findByTestId(ProgressBar, 'product-sync-progress').props.valueDescription).toBe('450 of 450 items synced'),
      );
      await waitFor(() => expect(find(LoadingButton).props.loading).toBe(false));
      expect(call.mock.calls.filter(([n]) => n === FUNCTIONS.productSyncStart)).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops and explains when the sync cannot run', async () => {
    call.mockImplementation(
      async (name: string) =>
        (name === FUNCTIONS.productSyncStatus
          ? ok(report({ status: 'never', upToDate: false, stale: true }))
          : { ok: false, problems: [{ record: 'product sync', message: 'Run setup first.' }] }) as never,
    );
    const { find, findByTestId, waitFor } = renderSection();
    await waitFor(() => expect(findByTestId(StatusTag, 'product-sync-freshness')).toBeTruthy());
    find(LoadingButton).trigger('onClick');
    await waitFor(() => expect(findByTestId(Alert, 'product-sync-error').text).toContain('product sync: Run setup first.'));
  });
});
