/**
 * Custom field mappings per warm function container. The edge (src/functions/runtime.ts) keeps one
 * HubSpot client per portal configuration across warm invocations, so a cache keyed by that client is
 * a cache per portal; a fresh client (a cold container, or each test) starts empty.
 *
 * Why a cache: the mappings change rarely (settings page), yet loading them is one HubSpot call per
 * apply. Why short: a mapping added on the settings page reaches applies in a warm container after at
 * most MAPPINGS_TTL_MS (the settings function runs in its own container and cannot invalidate this one).
 */
import type { HubSpotApi } from '../hubspot/api.js';
import { loadMappings, type CustomFieldMapping } from './mappings.js';

export const MAPPINGS_TTL_MS = 60_000;

interface Entry {
  loadedAt: number;
  mappings: Promise<CustomFieldMapping[]>;
}

const cache = new WeakMap<Pick<HubSpotApi, 'getProperty'>, Entry>();

/**
 * The mappings, loaded at most once per client and TTL. Concurrent callers share one load; a failed
 * load is not cached (the next call tries again).
 */
export function cachedMappings(hubspot: Pick<HubSpotApi, 'getProperty'>, now: Date): Promise<CustomFieldMapping[]> {
  const entry = cache.get(hubspot);
  if (entry && now.getTime() - entry.loadedAt >= 0 && now.getTime() - entry.loadedAt < MAPPINGS_TTL_MS) return entry.mappings;
  const mappings = loadMappings(hubspot);
  cache.set(hubspot, { loadedAt: now.getTime(), mappings });
  mappings.catch(() => {
    if (cache.get(hubspot)?.mappings === mappings) cache.delete(hubspot);
  });
  return mappings;
}

/** Drops the cached mappings of one client (e.g. right after this container saved new mappings). */
export function forgetMappings(hubspot: Pick<HubSpotApi, 'getProperty'>): void {
  cache.delete(hubspot);
}
