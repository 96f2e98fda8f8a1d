/**
 * Where the reconciliation sweep keeps its run state (cursor, counts, last complete sweep): the
 * description of one connector-owned deal property, `billwerk_reconcile_state`, holding a short JSON
 * document. Same choice and reasons as the product sync's state (src/core/products/productSyncState.ts):
 * HubSpot is the only storage the connector has; one GET reads it, one PATCH writes it, no record
 * shows up for reps. Not in the setup catalog, so setup never overwrites it; created on the first save.
 */
import { z } from 'zod';
import type { HubSpotApi } from '../hubspot/api.js';
import { propertyDocument } from '../propertyDocument.js';

export const RECONCILE_STATE_PROPERTY = 'billwerk_reconcile_state';

/** A complete sweep should run at least this often (README "Scheduling the reconciliation"). */
export const RECONCILE_INTERVAL_MS = 24 * 60 * 60 * 1000;

const PREFIX = 'State of the billwerk reconciliation sweep, written by the connector (do not edit): ';

export const reconcilePhaseSchema = z.enum(['deals', 'companies', 'contacts', 'done']);
export type ReconcilePhase = z.infer<typeof reconcilePhaseSchema>;

export const reconcileRunSchema = z.object({
  trigger: z.enum(['scheduler', 'settings']),
  startedAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
  phase: reconcilePhaseSchema,
  /** Last HubSpot record id done in the current phase ('0' = from the start). */
  cursor: z.string().regex(/^\d{1,20}$/),
  /** Companies and contacts modified since then are synced to billwerk. */
  customersChangedSince: z.string(),
  checked: z.number().int().nonnegative(),
  changed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Calls in a row that made no progress because of a transient failure at the cursor. */
  stalls: z.number().int().nonnegative().optional(),
});
export type ReconcileRun = z.infer<typeof reconcileRunSchema>;

export const reconcileStateSchema = z.object({
  /** The sweep in progress (continued by the next call), if any. */
  current: reconcileRunSchema.optional(),
  lastComplete: reconcileRunSchema.optional(),
});
export type ReconcileState = z.infer<typeof reconcileStateSchema>;

export interface StoredReconcileState {
  state: ReconcileState;
  exists: boolean;
}

const reconcileStateDocument = propertyDocument({
  objectType: 'deals',
  name: RECONCILE_STATE_PROPERTY,
  label: 'billwerk reconciliation (state)',
  prefix: PREFIX,
  schema: reconcileStateSchema,
  empty: (): ReconcileState => ({}),
});

export async function readReconcileState(hubspot: HubSpotApi): Promise<StoredReconcileState> {
  const property = await hubspot.getProperty('deals', RECONCILE_STATE_PROPERTY);
  return { state: parseReconcileState(property?.description), exists: property !== undefined };
}

/** A missing or unreadable state is "never ran": the next call starts a sweep from the beginning. */
export function parseReconcileState(description: string | null | undefined): ReconcileState {
  return reconcileStateDocument.parse(description);
}

export async function saveReconcileState(hubspot: HubSpotApi, previous: StoredReconcileState, state: ReconcileState): Promise<void> {
  await reconcileStateDocument.save(hubspot, state, previous.exists);
}

/** True when no sweep completed within the recommended interval. */
export function isReconcileStale(state: ReconcileState, now: Date): boolean {
  const at = Date.parse(state.lastComplete?.finishedAt ?? '');
  return !Number.isFinite(at) || now.getTime() - at > RECONCILE_INTERVAL_MS;
}
