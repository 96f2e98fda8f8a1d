import { useEffect, useState } from 'react';
import { callFunction, describeProblem } from '../shared/serverless.js';
import type { EntitiesReply } from './types.js';

export type EntitiesState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; value: EntitiesReply };

/** The configured billwerk entities (names only) and whether billwerk is a sandbox. */
export function useEntities(): EntitiesState {
  const [state, setState] = useState<EntitiesState>({ kind: 'loading' });
  useEffect(() => {
    let current = true;
    void callFunction<EntitiesReply>('list_entities').then((outcome) => {
      if (!current) return;
      setState(outcome.ok ? { kind: 'ready', value: outcome.value } : { kind: 'error', message: outcome.problems.map(describeProblem).join('\n') });
    });
    return () => {
      current = false;
    };
  }, []);
  return state;
}
