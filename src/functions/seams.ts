/**
 * Test and sandbox seams of the function edge: replace the services built from the environment
 * (clients pointed at the simulators, a recording logger, a fixed clock) or the time budget, and
 * drop every override and cached client again. Production code never calls these.
 */
import type { Env, Services } from './services.js';
import { setCallBudget, type CallBudget } from './budget.js';

export type ServicesOverride = (env: Env) => Partial<Omit<Services, 'env' | 'config'>>;

let servicesOverride: ServicesOverride | undefined;
const resetHooks = new Set<() => void>();

/** Whatever the factory returns replaces the service built from the environment. */
export function overrideServices(factory: ServicesOverride): void {
  servicesOverride = factory;
}

/** Other budgets (or a clock) for every function call until resetServices(). */
export function overrideCallBudget(budget: Partial<CallBudget>): void {
  setCallBudget(budget);
}

/** Drops the services override, the budget override and every cached client. */
export function resetServices(): void {
  servicesOverride = undefined;
  setCallBudget(undefined);
  for (const hook of resetHooks) hook();
}

/** The override in force, if any (read by buildServices). */
export function currentServicesOverride(): ServicesOverride | undefined {
  return servicesOverride;
}

/** Module state that resetServices() must clear (the client caches register here). */
export function onResetServices(hook: () => void): void {
  resetHooks.add(hook);
}
