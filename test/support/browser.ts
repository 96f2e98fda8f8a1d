/**
 * Debian's Chromium for the browser tests (never a test tool's own download), headless with the flags
 * DEVELOPERS.md asks for. Off this machine without Chromium the tests are skipped, in CI they must run
 * (a missing browser fails them there).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const IN_CI = Boolean(process.env.CI) && process.env.CI !== 'false';
export const BROWSER_TESTS_RUN = existsSync(CHROMIUM) || IN_CI;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
