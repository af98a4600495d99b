import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount } from '../../src/core/format/numbers.js';

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [61706, '61,706'],
    [-1234567, '-1,234,567'],
    [15470264320, '15,470,264,320'],
    [0.5, '0.5'],
    [2 / 3, '0.6667'],
  ])('%d → %s', (n, text) => expect(formatCount(n)).toBe(text));

  it('agrees with Intl grouping for every safe integer', () => {
    fc.assert(
      fc.property(
        fc.maxSafeInteger().map((n) => n || 0),
        (n) => {
          expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
        },
      ),
    );
  });
});

describe('formatBytes', () => {
  it.each([
    [512, '512 B'],
    [3136, '3.14 kB'],
    [46_758_048, '46.76 MB'],
    [2e9, '2.00 GB'],
  ])('%d → %s', (n, text) => expect(formatBytes(n)).toBe(text));
});
