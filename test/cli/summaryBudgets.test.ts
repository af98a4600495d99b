import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nnb } from './nnb.js';

// LeNet-5 (61,706 params, whole-input field at its Linear output) with budgets set, as the app saves it.
const dir = mkdtempSync(join(tmpdir(), 'nnb-budgets-'));
const lenet = JSON.parse(readFileSync('templates/lenet-5.nnb.json', 'utf8'));
const withBudgets = (budgets: unknown) => {
  const path = join(dir, `lenet-${Math.random().toString(36).slice(2)}.nnb.json`);
  writeFileSync(path, JSON.stringify({ ...lenet, version: 2, budgets }));
  return path;
};

describe('nnb summary with budgets', () => {
  it('prints each budget pass/fail after the totals; a failed budget is no error (exit 0)', () => {
    const r = nnb('summary', withBudgets({ params: { max: 60000 }, receptiveField: { min: 28 } }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'Budgets:\n  ✗ params  61,706 > 60,000\n  ✓ RF      whole input ≥ 28\n',
    );
  });

  it('adds the results to --json', () => {
    const r = nnb('summary', withBudgets({ params: { max: 62000 } }), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).budgets).toEqual([
      {
        kind: 'params',
        relation: 'max',
        limit: 62000,
        actual: 61706,
        status: 'pass',
        text: '61,706 ≤ 62,000',
      },
    ]);
  });

  it('prints no budget section for a file without budgets', () => {
    const r = nnb('summary', 'templates/lenet-5.nnb.json');
    expect(r.stdout).not.toContain('Budgets');
    expect(
      JSON.parse(nnb('summary', 'templates/lenet-5.nnb.json', '--json').stdout),
    ).not.toHaveProperty('budgets');
  });
});
