/**
 * A client whose method calls pass through `around`: it gets the method's name and arguments and a
 * `call()` that runs the real method, and returns what the caller sees (a fault, a delay, a lost
 * answer). For async APIs such as HubSpotApi; properties that are not functions pass through.
 */
export type Around = (method: string, args: unknown[], call: () => Promise<unknown>) => Promise<unknown>;

export function aroundCalls<T extends object>(api: T, around: Around): T {
  return new Proxy(api, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        around(String(name), args, () => Promise.resolve((value as (...a: unknown[]) => unknown).apply(target, args)));
    },
  });
}
