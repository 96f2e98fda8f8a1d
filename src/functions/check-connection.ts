/** Settings page: per entity, billwerk reachable with the configured credentials; HubSpot token accepted. */
import { z } from 'zod';
import { billwerkConfigSchema } from '../core/config.js';
import { checkConnection } from '../core/settings/checkConnection.js';
import { privateFunction } from './runtime.js';

export const main = privateFunction(
  z.object({}),
  async (_input, services) => {
    const config = services.config(billwerkConfigSchema);
    return checkConnection(services, { baseUrl: config.BILLWERK_BASE_URL });
  },
  { name: 'check_connection' },
);
