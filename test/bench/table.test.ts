/** The benchmark table fits a 100-column terminal: long units and explanations go under it. */
import { describe, expect, it } from 'vitest';
import { formatTable } from '../../bench/run.js';

describe('bench table', () => {
  it('keeps every line within 100 columns and moves long text into numbered notes', () => {
    const table = formatTable([
      { metric: 'webhook.burst_time_ratio', value: 1.234, unit: 'ratio', target: 1.15, note: 'x '.repeat(120) },
      { metric: 'webhook.hubspot_calls', value: 3, unit: 'calls per event (worst event type, warm function)', target: 3 },
      { metric: 'runner.cold_start_ms', value: 120, unit: 'ms', target: 150 },
    ]);
    const lines = table.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(lines.find((l) => l.startsWith('webhook.burst_time_ratio [1]'))).toMatch(/ratio\s+1\.150\s+NO$/);
    expect(lines.find((l) => l.startsWith('webhook.hubspot_calls [2]'))).toMatch(/see note\s+3\s+yes$/);
    expect(lines.find((l) => l.startsWith('runner.cold_start_ms'))).not.toMatch(/\[\d\]/);
    expect(table).toContain('[2] webhook.hubspot_calls: unit: calls per event (worst event type, warm function)');
  });
});
