/**
 * The project's UI extensions, read from their hsmeta files like HubSpot does: cards
 * (`src/app/cards/*-hsmeta.json`, location and object types) and the settings page.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { WorkbenchType } from './crm.js';

const APP_DIR = fileURLToPath(new URL('../app/', import.meta.url));

const cardSchema = z.object({
  uid: z.string(),
  type: z.literal('card'),
  config: z.object({ name: z.string(), location: z.string(), entrypoint: z.string(), objectTypes: z.array(z.string()) }),
});
const settingsSchema = z.object({ uid: z.string(), type: z.literal('settings'), config: z.object({ entrypoint: z.string() }) });

/** HubSpot's card object type names -> CRM API object types. */
const OBJECT_TYPES: Record<string, WorkbenchType> = {
  DEAL: 'deals',
  COMPANY: 'companies',
  CONTACT: 'contacts',
  deals: 'deals',
  companies: 'companies',
  contacts: 'contacts',
};

export interface Extension {
  uid: string;
  title: string;
  location: 'crm.record.sidebar' | 'settings';
  objectTypes: WorkbenchType[];
  /** Absolute path of the entrypoint (`/app/...` in the hsmeta is relative to src/). */
  source: string;
}

export function readExtensions(appDir = APP_DIR): Extension[] {
  const extensions: Extension[] = [];
  const cardsDir = `${appDir}cards/`;
  for (const file of readdirSync(cardsDir)
    .filter((f) => f.endsWith('-hsmeta.json'))
    .sort()) {
    const card = cardSchema.parse(JSON.parse(readFileSync(`${cardsDir}${file}`, 'utf8')));
    extensions.push({
      uid: card.uid,
      title: card.config.name,
      location: 'crm.record.sidebar',
      objectTypes: card.config.objectTypes.flatMap((t) => (OBJECT_TYPES[t] ? [OBJECT_TYPES[t]] : [])),
      source: `${appDir}${card.config.entrypoint.replace(/^\/app\//, '')}`,
    });
  }
  const settingsFile = `${appDir}settings/settings-hsmeta.json`;
  if (existsSync(settingsFile)) {
    const settings = settingsSchema.parse(JSON.parse(readFileSync(settingsFile, 'utf8')));
    extensions.push({
      uid: settings.uid,
      title: 'Settings',
      location: 'settings',
      objectTypes: [],
      source: `${appDir}${settings.config.entrypoint.replace(/^\/app\//, '')}`,
    });
  }
  return extensions;
}
