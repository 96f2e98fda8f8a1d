/**
 * Settings page section "Reconciliation": `run` does one time-boxed slice of the sweep (the section
 * calls again while `complete` is false, showing the progress); `status` only reads the run state.
 */
import { z } from 'zod';
import { billwerkConfigSchema } from '../core/config.js';
import { billwerkEnvironmentOf } from '../core/billwerk/environment.js';
import { reconcile } from '../core/events/reconcile.js';
import { isReconcileStale, readReconcileState } from '../core/events/reconcileState.js';
import { succeed } from '../core/result.js';
import { privateFunction } from './runtime.js';
import { RECONCILE_TIME_BUDGET_MS } from './reconcile-trigger.js';

export const reconcileInput = z.object({ action: z.enum(['run', 'status']) });

export const main = privateFunction(
  reconcileInput,
  async ({ action }, services) => {
    if (action === 'status') {
      const { state } = await readReconcileState(services.hubspot);
      return succeed({ complete: state.current === undefined, state, stale: isReconcileStale(state, services.now()) });
    }
    const environment = billwerkEnvironmentOf(services.config(billwerkConfigSchema).BILLWERK_BASE_URL);
    const result = await reconcile(services, { trigger: 'settings', environment, timeBudgetMs: RECONCILE_TIME_BUDGET_MS });
    return succeed({ complete: result.complete, state: result.state, stale: isReconcileStale(result.state, services.now()) });
  },
  { name: 'reconcile' },
);
