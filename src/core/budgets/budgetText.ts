import { formatBytes, formatCount } from '../format/numbers.js';
import { budgetDefinition, type BudgetKind, type BudgetResult } from './budgets.js';

export type BudgetInput =
  | { readonly ok: true; readonly value: number | undefined }
  | { readonly ok: false; readonly error: string };

// Decimal units, as formatBytes and torchinfo print sizes; binary ones when written so.
const COUNT_SCALE: Readonly<Record<string, number>> = { '': 1, k: 1e3, m: 1e6, g: 1e9 };
const BYTE_SCALE: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/**
 * A budget field's text as a limit: `60,000`, `60k`, `1.5M`; memory also `250 kB`, `2 MiB`.
 * Empty text clears the budget (value undefined). Whole numbers only, after the unit.
 */
export function parseBudgetInput(kind: BudgetKind, text: string): BudgetInput {
  const written = text.trim();
  if (written === '') return { ok: true, value: undefined };
  const bytes = kind === 'memory';
  const match = /^(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)$/i.exec(written.replace(/[,_\s](?=\d)/g, ''));
  const scale = match ? (bytes ? BYTE_SCALE : COUNT_SCALE)[match[2]?.toLowerCase() ?? ''] : null;
  const example = bytes
    ? '250 kB, 1.5 MB or 300000'
    : kind === 'receptiveField'
      ? '28'
      : '60,000 or 60k';
  if (!match || scale === undefined || scale === null)
    return { ok: false, error: `Write a number such as ${example}` };
  const value = Number(match[1]) * scale;
  if (!Number.isFinite(value)) return { ok: false, error: `Write a number such as ${example}` };
  if (!Number.isInteger(value))
    return {
      ok: false,
      error: `${budgetDefinition(kind).label} counts whole ${bytes ? 'bytes' : 'units'}`,
    };
  return { ok: true, value };
}

/** A limit as its field shows it, readable and parsed back to the same number. */
export function budgetInputText(kind: BudgetKind, value: number | undefined): string {
  if (value === undefined) return '';
  if (kind !== 'memory') return formatCount(value);
  // formatBytes rounds to 2 decimals; show plain bytes when that would lose some.
  const shown = formatBytes(value);
  const back = parseBudgetInput(kind, shown);
  return back.ok && back.value === value ? shown : formatCount(value);
}

/** The summary's budget lines: `✗ params  61,706 > 60,000`, kinds aligned. */
export function budgetLines(results: readonly BudgetResult[]): string[] {
  const mark = { pass: '✓', fail: '✗', unknown: '?' } as const;
  const width = Math.max(0, ...results.map((r) => budgetDefinition(r.kind).short.length));
  return results.map(
    (r) => `${mark[r.status]} ${budgetDefinition(r.kind).short.padEnd(width)}  ${r.text}`,
  );
}
