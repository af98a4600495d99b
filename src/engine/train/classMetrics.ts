import type { ClassMetrics } from '../../api/training.js';

/** A K×K confusion matrix, confusion[true][predicted]. */
export function emptyConfusion(classes: number): number[][] {
  return Array.from({ length: classes }, () => Array<number>(classes).fill(0));
}

/**
 * Per-class precision, recall, F1 and support from a confusion matrix (0 where undefined, as
 * scikit-learn's zero_division=0), and the overall accuracy.
 */
export function classMetrics(
  confusion: readonly (readonly number[])[],
  classNames: readonly string[],
): { accuracy: number; perClass: ClassMetrics[] } {
  let correct = 0;
  let total = 0;
  const perClass = classNames.map((className, k) => {
    const row = confusion[k] ?? [];
    const tp = row[k] ?? 0;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, r) => a + (r[k] ?? 0), 0);
    correct += tp;
    total += support;
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { className, precision, recall, f1, support };
  });
  return { accuracy: total > 0 ? correct / total : 0, perClass };
}
