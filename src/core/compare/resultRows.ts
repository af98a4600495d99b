import { analyze } from '../analysis/analyze.js';
import type { CompareRow } from './compareGraphs.js';
import type { CompareVariant } from './compareDocument.js';
import { validationAccuracy, type CompareTraining } from './compareResults.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** Gradient norms span many decades (vanishing gradients): `0.0332`, `1.24`, `4.00·10⁻⁵`. */
export function formatNorm(x: number): string {
  if (x === 0) return '0';
  if (Math.abs(x) >= 0.01 && Math.abs(x) < 1000) return x.toPrecision(3);
  const [mantissa, exponent] = x.toExponential(2).split('e');
  const sup = [...String(Math.abs(Number(exponent)))].map((d) => SUPERSCRIPT[Number(d)]).join('');
  return `${mantissa}·10${Number(exponent) < 0 ? '⁻' : ''}${sup}`;
}

/**
 * The rows that come from training: the hyperparameter a variant overrides, best/final
 * validation accuracy, the train−validation gap (over-fitting) and the first weighted layer's
 * gradient norm (vanishing gradients). Variants without results show `—`; rows no variant
 * can fill are left out.
 */
export function resultRows(
  variants: readonly CompareVariant[],
  training: CompareTraining,
): CompareRow[] {
  const rows: CompareRow[] = [];
  if (variants.some((v) => v.weightDecay !== undefined)) {
    const values = variants.map((v) => v.weightDecay ?? training.weightDecay);
    rows.push(make('Weight decay (training)', values, String, null));
  }
  const accuracies = variants.map((v) => validationAccuracy(v.result));
  if (accuracies.every((a) => a === null)) return rows;
  rows.push(
    make(
      'Best validation accuracy',
      accuracies.map((a) => a?.best ?? NaN),
      pct,
      'max',
    ),
    make(
      'Final validation accuracy',
      accuracies.map((a) => a?.final ?? NaN),
      pct,
      'max',
    ),
  );
  const gaps = variants.map((v) => {
    const last = v.result?.epochs.at(-1);
    return last ? last.trainAccuracy - last.valAccuracy : NaN;
  });
  rows.push({
    // No "best" here: early in training the gap is negative for every variant (the epoch's
    // mean training accuracy trails its end-of-epoch validation), and smaller is not better then.
    ...make('Train − validation accuracy (over-fitting)', gaps, pct, null),
    formulas: variants.map((v) => {
      const last = v.result?.epochs.at(-1);
      return last ? `${pct(last.trainAccuracy)} − ${pct(last.valAccuracy)}` : '';
    }),
  });
  const first = variants.map((v) => firstWeightedLayer(v));
  const norms = variants.map((v, i) => {
    const id = first[i];
    const value = id === undefined ? undefined : v.result?.epochs.at(-1)?.gradientNorms[id];
    return value ?? NaN;
  });
  if (norms.some(Number.isFinite)) {
    rows.push({
      ...make('Gradient norm at the first layer (last batch)', norms, formatNorm, null),
      formulas: norms.map((n, i) => (Number.isFinite(n) ? `‖∂L/∂W‖₂ of ${first[i] ?? '?'}` : '')),
    });
  }
  return rows;
}

/** The first layer with parameters in dependency order: where vanishing gradients end up smallest. */
export function firstWeightedLayer(v: CompareVariant): string | undefined {
  return analyze(v.graph).layers.find((l) => l.params > 0)?.id;
}

function make(
  metric: string,
  values: number[],
  show: (v: number) => string,
  better: 'min' | 'max' | null,
): CompareRow {
  const known = values.filter(Number.isFinite);
  const differs = new Set(known).size > 1;
  const target = better === 'min' ? Math.min(...known) : Math.max(...known);
  return {
    metric,
    values,
    display: values.map((v) => (Number.isFinite(v) ? show(v) : '—')),
    formulas: values.map(() => ''),
    differs,
    best: better !== null && differs ? values.indexOf(target) : null,
    better: better === 'min' ? 'lower' : better === 'max' ? 'higher' : null,
    valid: values.map(Number.isFinite),
  };
}
