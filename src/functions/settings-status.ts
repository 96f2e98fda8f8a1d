/** Settings page: environment, entities, setup status, mappings and mappable properties (no billwerk call). */
import { z } from 'zod';
import { settingsConfigSchema, settingsStatus } from '../core/settings/settingsStatus.js';
import { privateFunction } from './runtime.js';

export const main = privateFunction(
  z.object({}),
  async (_input, services) => {
    const config = services.config(settingsConfigSchema);
    return settingsStatus(services, { baseUrl: config.BILLWERK_BASE_URL, entities: config.BILLWERK_ENTITIES });
  },
  { name: 'settings_status' },
);
