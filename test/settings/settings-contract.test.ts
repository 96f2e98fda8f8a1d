/**
 * The settings page copies the reply shapes and function uids (it cannot import src/core). These
 * checks keep the copies honest: the assignments below fail `tsc` when a core shape drifts, and the
 * test fails when a uid has no function component.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type * as Page from '../../src/app/settings/types.js';
import { FUNCTIONS } from '../../src/app/settings/types.js';
import type { ConnectionReport } from '../../src/core/settings/checkConnection.js';
import type { SettingsStatus } from '../../src/core/settings/settingsStatus.js';
import type { SetupReport } from '../../src/core/settings/setup.js';
import type { CustomFieldMapping } from '../../src/core/settings/mappings.js';

// Compile-time: every core reply fits what the page expects.
export const statusFits = (s: SettingsStatus): Page.SettingsStatus => s;
export const connectionFits = (c: ConnectionReport): Page.ConnectionReport => c;
export const setupFits = (r: SetupReport): Page.SetupReport => r;
export const mappingFits = (m: CustomFieldMapping): Page.CustomFieldMapping => m;

describe('settings page contract', () => {
  it('calls only functions that exist as app-function components', () => {
    const dir = 'src/app/functions';
    const uids = readdirSync(dir)
      .filter((f) => f.endsWith('-hsmeta.json'))
      .map((f) => (JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as { uid: string }).uid);
    for (const uid of Object.values(FUNCTIONS)) expect(uids).toContain(uid);
  });

  it('has exactly one settings component pointing at the page', () => {
    const meta = JSON.parse(readFileSync('src/app/settings/settings-hsmeta.json', 'utf8')) as {
      type: string;
      config: { entrypoint: string };
    };
    expect(meta.type).toBe('settings');
    expect(readdirSync('src/app/settings').filter((f) => f.endsWith('-hsmeta.json'))).toHaveLength(1);
    expect(readdirSync('src/app/settings')).toContain(meta.config.entrypoint.split('/').pop());
  });
});
