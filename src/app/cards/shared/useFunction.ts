import { useCallback, useEffect, useRef, useState } from 'react';
import type { FunctionUid } from './functions.js';
import { callFunction, type JsonValue, type Outcome, type Problem } from './serverless.js';

/** One function call's state, as a card shows it. */
export type FunctionState<T> =
  { state: 'idle' } | { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; problems: Problem[] };

export interface UseFunction<T> {
  current: FunctionState<T>;
  /**
   * Calls the function. Resolves to its outcome, or to `null` when the answer is stale: a newer call
   * started meanwhile or the card is gone (then the state is not touched either).
   */
  run: (parameters?: Record<string, JsonValue>) => Promise<Outcome<T> | null>;
}

const toState = <T>(outcome: Outcome<T>): FunctionState<T> =>
  outcome.ok ? { state: 'ready', value: outcome.value } : { state: 'error', problems: outcome.problems };

/**
 * The one hook through which cards call app functions (HubSpot's `useFetchLegacyCardData` pattern):
 * it owns loading / ready / error, and a request counter drops stale answers, so a slow first reply
 * never overwrites a newer one. Calls go through ./serverless.ts, the cards' one door to the backend.
 * `onMount`: call once when the card opens, with these parameters.
 */
export function useFunction<T>(
  uid: FunctionUid,
  options: { onMount?: Record<string, JsonValue> } = {},
): UseFunction<T> {
  const [current, setCurrent] = useState<FunctionState<T>>(options.onMount ? { state: 'loading' } : { state: 'idle' });
  const requests = useRef(0);
  const mounted = useRef(true);

  const run = useCallback(
    async (parameters: Record<string, JsonValue> = {}) => {
      const request = ++requests.current;
      setCurrent({ state: 'loading' });
      const outcome = await callFunction<T>(uid, parameters);
      if (!mounted.current || request !== requests.current) return null;
      setCurrent(toState(outcome));
      return outcome;
    },
    [uid],
  );

  const onMount = options.onMount;
  useEffect(() => {
    mounted.current = true;
    if (onMount) {
      const request = ++requests.current;
      // State is set only when the answer arrives (react-hooks rule: no synchronous setState in effects).
      void callFunction<T>(uid, onMount).then((outcome) => {
        if (mounted.current && request === requests.current) setCurrent(toState(outcome));
      });
    }
    return () => {
      mounted.current = false;
    };
    // Runs once per card: later renders pass new option objects with the same meaning.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [uid]);

  return { current, run };
}
