import { useCallback, useEffect, useRef, useState } from 'react';
import type { FunctionUid } from './types.js';
import { callFunction, toLoadable, type JsonValue, type Loadable, type Outcome } from './serverless.js';

/** One function call's state, as the page shows it. */
export type FunctionState<T> = { state: 'idle' } | Loadable<T>;

export interface UseFunction<T> {
  current: FunctionState<T>;
  /**
   * Calls the function. Resolves to its outcome, or to `null` when the answer is stale: a newer call
   * started meanwhile or the page is gone (then the state is not touched either).
   */
  run: (parameters?: Record<string, JsonValue>) => Promise<Outcome<T> | null>;
}

/**
 * The one hook through which the settings page calls app functions (HubSpot's
 * `useFetchLegacyCardData` pattern): it owns loading / ready / error, and a request counter drops
 * stale answers, so a slow first reply never overwrites a newer one. Calls go through ./serverless.ts,
 * the page's one door to the backend. A copy of cards/shared/useFunction.ts (HubSpot builds each UI
 * folder on its own). `onMount`: call once when the page opens, with these parameters.
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
      setCurrent(toLoadable(outcome));
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
        if (mounted.current && request === requests.current) setCurrent(toLoadable(outcome));
      });
    }
    return () => {
      mounted.current = false;
    };
    // Runs once per page: later renders pass new option objects with the same meaning.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [uid]);

  return { current, run };
}
