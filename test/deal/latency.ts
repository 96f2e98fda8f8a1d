/**
 * Test seams for races and kill points on the client side of the wire: latency around every call of a
 * HubSpotApi or BillwerkEntityApi (the request travels, the server answers, the answer travels back),
 * and faults that hit after the server has written (the answer is lost on its way back).
 */
import type { HubSpotApi } from '../../src/core/hubspot/api.js';
import { HubSpotApiError } from '../../src/core/hubspot/errors.js';
import { aroundCalls } from '../support/aroundCalls.js';

export type Delay = () => number;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** HubSpot 20 ms + an exponential tail with mean 40 ms (issue 13's profile), split over both directions. */
export const hubspotProfile: Delay = () => 20 + -Math.log(1 - Math.random()) * 40;

/** Each call waits half a delay before it reaches the server and half before its answer arrives. */
export function withLatency<T extends object>(api: T, delay: Delay, only?: (method: string) => boolean): T {
  return aroundCalls(api, async (method, _args, call) => {
    if (only && !only(method)) return call();
    const total = delay();
    await sleep(total / 2);
    try {
      return await call();
    } finally {
      await sleep(total / 2);
    }
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
  return aroundCalls(api, async (method, args, call) => {
    if (method !== lost.method) return call();
    const result = await call();
    if ((!lost.when || lost.when(...args)) && ++seen === (lost.nth ?? 1))
      throw new HubSpotApiError(0, `HubSpot ${method} failed: no answer (simulated lost answer)`, { category: 'NETWORK_ERROR' });
    return result;
  });
}

export type FaultMode = 'before' | 'after' | 'late';

export interface FaultSpec {
  /** Method of the client, e.g. `updateObject`, `createOrder`. */
  method: string;
  /** Only calls whose arguments match. */
  when?: (...args: unknown[]) => boolean;
  mode: FaultMode;
  /** The error the caller sees. */
  error: (mode: FaultMode) => Error;
}

/**
 * One matching call goes wrong once:
 * - before: it never reaches the server (the service was down for this call, beyond the client's retries);
 * - after: the server writes, the answer is lost;
 * - late: the caller gives up at once (timeout); the server writes a moment later, before the next click.
 */
export class Faults {
  private fired = false;
  private readonly late: Promise<unknown>[] = [];

  constructor(private readonly spec: FaultSpec) {}

  get hit(): boolean {
    return this.fired;
  }

  wrap<T extends object>(api: T): T {
    return new Proxy(api, {
      get: (target, name, receiver) => {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function' || name !== this.spec.method) return value;
        return async (...args: unknown[]) => {
          const call = () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          if (this.fired || (this.spec.when && !this.spec.when(...args))) return call();
          this.fired = true;
          if (this.spec.mode === 'before') throw this.spec.error('before');
          if (this.spec.mode === 'after') {
            await call();
            throw this.spec.error('after');
          }
          this.late.push(
            sleep(5)
              .then(call)
              .catch(() => undefined),
          );
          throw this.spec.error('late');
        };
      },
    });
  }

  /** Lets late writes land (the rep clicks again only after that). */
  async settle(): Promise<void> {
    await Promise.all(this.late);
  }
}

/** billwerk 150 ms per call, 300 ms to create an order (docs/real-world-facts.md, "an independent run"). */
export const billwerkProfile = (method: string): number => (method === 'createOrder' ? 300 : 150);

/** Deps whose clients wait like the real services: a caller in its own process with its own clients. */
export function withServiceLatency<D extends { hubspot: object; billwerk: { forEntity(id?: string | null): object } }>(
  deps: D,
  scale = 1,
): D {
  const billwerk = new Proxy(deps.billwerk, {
    get: (target, name, receiver) => {
      if (name !== 'forEntity') return Reflect.get(target, name, receiver) as unknown;
      return (id?: string | null) => {
        const api = target.forEntity(id);
        return new Proxy(api, {
          get: (t, n, r) => {
            const value = Reflect.get(t, n, r) as unknown;
            if (typeof value !== 'function') return value;
            return withLatency({ call: value.bind(t) as (...a: unknown[]) => Promise<unknown> }, () => billwerkProfile(String(n)) * scale)
              .call;
          },
        });
      };
    },
  });
  return { ...deps, hubspot: withLatency(deps.hubspot, () => hubspotProfile() * scale), billwerk };
}
