/**
 * Runs before every test file. Tests talk to the simulators only: connector secrets from the
 * developer's shell (or a CI runner) are removed so no test can reach a real billwerk or HubSpot
 * account, and a real value can never end up in a snapshot or an assertion message.
 * Dates are compared in UTC everywhere.
 */
import { SECRET_NAMES } from '../src/core/config.js';

const CONNECTOR_ENV = [...SECRET_NAMES, 'BILLWERK_BASE_URL', 'BILLWERK_ENTITIES', 'HUBSPOT_API_BASE_URL'];
for (const name of CONNECTOR_ENV) delete process.env[name];

process.env.TZ = 'UTC';
