/** The configured billwerk entities by name (never keys or secrets), for the entity pickers. */
import { z } from 'zod';
import { billwerkConfigSchema } from '../core/config.js';
import { billwerkEnvironmentOf } from '../core/billwerk/environment.js';
import { succeed } from '../core/result.js';
import { privateFunction } from './runtime.js';

export const main = privateFunction(
  z.object({}),
  async (_input, services) => {
    const config = services.config(billwerkConfigSchema);
    return succeed({
      entities: config.BILLWERK_ENTITIES.map((e) => ({ id: e.id, name: e.name })),
      environment: billwerkEnvironmentOf(config.BILLWERK_BASE_URL),
      // The cards link customer and contract ids to billwerk's web app on the same host.
      webAppUrl: config.BILLWERK_BASE_URL,
    });
  },
  { name: 'list_entities' },
);
