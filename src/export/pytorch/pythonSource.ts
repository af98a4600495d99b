import type { ParamValue } from '../../core/graph/document.js';

/** A JSON parameter value as Python source: `[5, 3]` → `(5, 3)`, `true` → `True`, `null` → `None`. */
export function pyLiteral(value: ParamValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'number')
    return Number.isFinite(value) ? String(value) : `float('${value}')`;
  const items = value.map(pyLiteral);
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

const KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield self torch nn F x'.split(
    ' ',
  ),
);

/** A valid, unused Python identifier for a node id (`layer1_0`, `conv-1` → `conv_1`, `class` → `class_`). */
export function pyIdentifier(id: string, taken: Set<string>): string {
  let name = id.replace(/[^A-Za-z0-9_]/g, '_');
  if (name === '' || /^[0-9]/.test(name)) name = `n_${name}`;
  if (KEYWORDS.has(name)) name = `${name}_`;
  let unique = name;
  for (let i = 2; taken.has(unique); i++) unique = `${name}_${i}`;
  taken.add(unique);
  return unique;
}

/** `LeNet-5` → `LeNet5`, `ResNet-20 (CIFAR-10)` → `ResNet20CIFAR10`: a class name from a graph name. */
export function pyClassName(name: string | undefined): string {
  const words = (name ?? '').split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('');
  return joined === '' || /^[0-9]/.test(joined) ? `Net${joined}` : joined;
}

/** Keyword arguments from the params the user wrote (PyTorch applies its own defaults to the rest). */
export function pyKwargs(
  params: Readonly<Record<string, ParamValue>>,
  skip: readonly string[] = [],
): string[] {
  return Object.entries(params)
    .filter(([k]) => !skip.includes(k))
    .map(([k, v]) => `${k}=${pyLiteral(v)}`);
}
