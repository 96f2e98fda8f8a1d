/**
 * Test seams for races and kill points on the client side of the wire: latency around every call of a
 * HubSpotApi or BillwerkEntityApi (the request travels, the server answers, the answer travels back),
 * and faults that hit after the server has written (the answer is lost on its way back).
 */
import type { HubSpotApi } from '../../src/core/hubspot/api.js';
import { HubSpotApiError } from '../../src/core/hubspot/errors.js';

export type Delay = () => number;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** HubSpot 20 ms + an exponential tail with mean 40 ms (issue 13's profile), split over both directions. */
export const hubspotProfile: Delay = () => 20 + -Math.log(1 - Math.random()) * 40;

/** Each call waits half a delay before it reaches the server and half before its answer arrives. */
export function withLatency<T extends object>(api: T, delay: Delay, only?: (method: string) => boolean): T {
  return new Proxy(api, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function' || (only && !only(String(name)))) return value;
      return async (...args: unknown[]) => {
        const total = delay();
        await sleep(total / 2);
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          await sleep(total / 2);
        }
      };
    },
  });
}

export interface LostAnswer {
  /** Method name, e.g. `createObject`. */
  method: string;
  /** Which matching call loses its answer (1 = the first). */
  nth?: number;
  /** Only calls whose arguments match (e.g. the object type). */
  when?: (...args: unknown[]) => boolean;
}

/** The matching call lands at the server, but its caller sees a dropped connection (HubSpot status 0). */
export function losingAnswer(api: HubSpotApi, lost: LostAnswer): HubSpotApi {
  let seen = 0;
  return new Proxy(api, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function' || name !== lost.method) return value;
      return async (...args: unknown[]) => {
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (!lost.when || lost.when(...args)) {
          seen++;
          if (seen === (lost.nth ?? 1)) throw new HubSpotApiError(0, `HubSpot ${String(name)} failed: no answer (simulated lost answer)`, { category: 'NETWORK_ERROR' });
        }
        return result;
      };
    },
  });
}
