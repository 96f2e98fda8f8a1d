/** Settings page "Run setup": creates or updates the connector's property groups, properties and options. */
import { z } from 'zod';
import { runSetup } from '../core/settings/setup.js';
import { settingsConfigSchema } from '../core/settings/settingsStatus.js';
import { privateFunction } from './runtime.js';

export const main = privateFunction(
  z.object({}),
  async (_input, services) => {
    const config = services.config(settingsConfigSchema);
    return runSetup(services, config.BILLWERK_ENTITIES);
  },
  { name: 'run_setup' },
);
