import { FUNCTIONS } from '../shared/functions.js';
import { describeProblem } from '../shared/serverless.js';
import { useFunction } from '../shared/useFunction.js';
import type { EntitiesReply } from './types.js';

export type EntitiesState =
  { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; value: EntitiesReply };

/** The configured billwerk entities (names only) and whether billwerk is a sandbox. */
export function useEntities(): EntitiesState {
  const { current } = useFunction<EntitiesReply>(FUNCTIONS.listEntities, { onMount: {} });
  if (current.state === 'ready') return { kind: 'ready', value: current.value };
  if (current.state === 'error') return { kind: 'error', message: current.problems.map(describeProblem).join('\n') };
  return { kind: 'loading' };
}
