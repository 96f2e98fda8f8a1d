/** test/setup.ts records every console.error; only announced ones pass (test/support/console.ts). */
import { describe, expect, it } from 'vitest';
import { allowConsoleError, takeUnexpectedConsoleErrors } from '../support/console.js';

describe('console.error in tests', () => {
  it('records an unannounced console.error, which fails the test after it ends', () => {
    console.error('billwerk answered %d', 500);
    // Taken here so this test passes; test/setup.ts's afterEach would otherwise throw with this text.
    expect(takeUnexpectedConsoleErrors()).toEqual(['billwerk answered 500']);
  });

  it('lets through what the test announced, for that test only', () => {
    allowConsoleError(/answered 500/);
    console.error('billwerk answered 500');
    expect(takeUnexpectedConsoleErrors()).toEqual([]);
  });

  it('forgets the allowance of the previous test', () => {
    console.error('billwerk answered 500');
    expect(takeUnexpectedConsoleErrors()).toEqual(['billwerk answered 500']);
  });
});
