/**
 * The edge kit every function uses, in one import: services (services.ts), card-called functions
 * (privateFunction.ts), public endpoint functions (endpointFunction.ts, endpoint.ts), the time budget
 * (budget.ts) and the test and sandbox seams (seams.ts).
 */
export { buildServices, describeError, redactingLogger, type Env, type Services } from './services.js';
export {
  hubspotIdSchema,
  privateFunction,
  type FunctionOptions,
  type PrivateFunctionContext,
  type PrivateHandler,
  type PrivateMain,
} from './privateFunction.js';
export { endpointFunction, type EndpointHandler, type EndpointMain } from './endpointFunction.js';
export { DEFAULT_CALL_BUDGET, type CallBudget } from './budget.js';
export { overrideCallBudget, overrideServices, resetServices } from './seams.js';
export type { EndpointReply, EndpointRequest } from './endpoint.js';
