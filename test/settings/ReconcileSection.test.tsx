import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Alert, DescriptionListItem, LoadingButton, StatusTag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { Outcome } from '../../src/app/settings/serverless.js';
import type * as Section from '../../src/app/settings/ReconcileSection.js';
import type { ReconcileState } from '../../src/core/events/reconcileState.js';

vi.mock('../../src/app/settings/serverless.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/app/settings/serverless.js')>()),
  callFunction: vi.fn(),
}));
const { callFunction } = await import('../../src/app/settings/serverless.js');
const { ReconcileSection } = await import('../../src/app/settings/ReconcileSection.js');
const { FUNCTIONS } = await import('../../src/app/settings/types.js');
const call = vi.mocked(callFunction);

// Compile-time: the section's copy of the state fits what the function sends.
export const stateFits = (s: ReconcileState): Section.ReconcileStatus['state'] => s;

const ok = <T,>(value: T): Outcome<T> => ({ ok: true, value });

function run(overrides: Partial<Section.ReconcileRun> = {}): Section.ReconcileRun {
  const at = new Date(Date.now() - 3_600_000).toISOString();
  return {
    trigger: 'scheduler',
    startedAt: at,
    updatedAt: at,
    finishedAt: at,
    phase: 'done',
    cursor: '0',
    customersChangedSince: at,
    checked: 120,
    changed: 4,
    failed: 1,
    ...overrides,
  };
}

function renderSection() {
  const renderer = createRenderer('settings');
  renderer.render(<ReconcileSection />);
  return renderer;
}

beforeEach(() => call.mockReset());

describe('ReconcileSection', () => {
  it('shows the last complete sweep with its counts, and no warning when it is recent', async () => {
    call.mockResolvedValue(ok({ complete: true, state: { lastComplete: run() }, stale: false }));
    const { findByTestId, findAll, waitFor } = renderSection();
    await waitFor(() => expect(findByTestId(Text, 'reconcile-last-complete').text).toContain('Last complete sweep:'));
    expect(call).toHaveBeenCalledWith(FUNCTIONS.reconcile, { action: 'status' });
    expect(findByTestId(StatusTag, 'reconcile-freshness').text).toBe('Up to date');
    expect(findAll(DescriptionListItem).map((i) => `${i.props.label}: ${i.text}`)).toEqual(['Checked: 120', 'Updated: 4', 'Failed: 1']);
    expect(findAll(Alert)).toHaveLength(0);
  });

  it('warns when no sweep ever completed', async () => {
    call.mockResolvedValue(ok({ complete: true, state: {}, stale: true }));
    const { findByTestId, waitFor } = renderSection();
    await waitFor(() => expect(findByTestId(Alert, 'reconcile-stale').text).toContain('(README, “Scheduling the reconciliation”)'));
    expect(findByTestId(Text, 'reconcile-last-complete').text).toBe('No reconciliation has completed yet.');
  });

  it('runs slices until the sweep is complete, showing the progress in between', async () => {
    const inProgress = ok({
      complete: false,
      state: { current: run({ phase: 'companies', finishedAt: undefined, checked: 200, changed: 3 }) },
      stale: true,
    });
    let release: () => void = () => {};
    const paused = new Promise<void>((resolve) => (release = resolve));
    call
      .mockResolvedValueOnce(ok({ complete: true, state: {}, stale: true }))
      .mockResolvedValueOnce(inProgress)
      .mockImplementationOnce(async () => {
        await paused;
        return ok({ complete: true, state: { lastComplete: run({ checked: 260 }) }, stale: false });
      });
    const { find, findByTestId, waitFor } = renderSection();
    await waitFor(() => expect(findByTestId(Text, 'reconcile-last-complete')).toBeTruthy());
    find(LoadingButton).trigger('onClick');
    await waitFor(() =>
      expect(findByTestId(Text, 'reconcile-progress').text).toContain(
        'sending changed companies to billwerk (200 records checked, 3 updated)',
      ),
    );
    release();
    await waitFor(() => expect(findByTestId(StatusTag, 'reconcile-freshness').text).toBe('Up to date'));
    expect(call.mock.calls.slice(1).map((c) => c[1])).toEqual([{ action: 'run' }, { action: 'run' }]);
  });

  it('says why a slice failed', async () => {
    call
      .mockResolvedValueOnce(ok({ complete: true, state: {}, stale: true }))
      .mockResolvedValueOnce({ ok: false, problems: [{ message: 'billwerk refused the credentials.' }] });
    const { find, findByTestId, waitFor } = renderSection();
    await waitFor(() => expect(findByTestId(Text, 'reconcile-last-complete')).toBeTruthy());
    find(LoadingButton).trigger('onClick');
    await waitFor(() => expect(findByTestId(Alert, 'reconcile-error').text).toContain('billwerk refused the credentials.'));
  });

  it('a slow status read at open never overwrites the newer result of a sweep', async () => {
    let answerOpen: () => void = () => {};
    const openRead = new Promise<void>((resolve) => (answerOpen = resolve));
    call.mockImplementation(async (_name: string, parameters = {}) => {
      if (parameters.action === 'status') {
        await openRead;
        return ok({ complete: true, state: {}, stale: true }) as never;
      }
      return ok({ complete: true, state: { lastComplete: run({ checked: 77 }) }, stale: false }) as never;
    });
    const { find, findByTestId, waitFor } = renderSection();
    find(LoadingButton).trigger('onClick');
    await waitFor(() => expect(findByTestId(StatusTag, 'reconcile-freshness').text).toBe('Up to date'));
    answerOpen();
    await openRead;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(findByTestId(StatusTag, 'reconcile-freshness').text).toBe('Up to date');
    expect(findByTestId(Text, 'reconcile-last-complete').text).toContain('Last complete sweep:');
  });
});
