// Node ids that follow the file's names where they are readable. PyTorch ≥ 1.13 names a node by
// the module scope it ran in (`/layer1/layer1.0/conv1/Conv`): the id is the module's qualified
// name, as in PyTorch's state_dict (`layer1.0.conv1`). Older exporters name nodes `Conv_12` and
// weights `conv1.weight`, which are used as they are.
import type { OnnxNode } from './onnxFile.js';

/** Operators a model calls as functions (`x + y`, `torch.flatten`), not as modules of their own. */
const FUNCTIONAL = new Set(['Add', 'Sum', 'Concat', 'Flatten', 'Reshape', 'Squeeze', 'Mul']);

/** Characters kept in ids; others become `_`. */
const sanitize = (s: string): string =>
  s
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/^[_.]+|[_.]+$/g, '')
    .slice(0, 80);

/**
 * The module's qualified name from its scopes. A scope that extends the one before it replaces
 * it: `layer1`, `layer1.0`, `conv1` → `layer1.0.conv1`; `features`, `features.1`, `block`,
 * `block.0`, `block.0.0` → `features.1.block.0.0` (a Sequential inside a module names its
 * children after itself), as in PyTorch's state_dict.
 */
function qualifiedScope(scopes: readonly string[]): string {
  let parent = '';
  let last = '';
  for (const scope of scopes) {
    if (last === '' || !scope.startsWith(`${last}.`))
      parent = [parent, last].filter(Boolean).join('.');
    last = scope;
  }
  return [parent, last].filter(Boolean).join('.');
}

/** A readable name from a weight: `features.0.weight` → `features.0` (not `onnx::Conv_193`). */
function fromWeight(names: readonly string[]): string | undefined {
  for (const n of names) {
    const m = /^([A-Za-z_][\w.]*)\.(weight|bias|running_mean|running_var)$/.exec(n);
    if (m?.[1] !== undefined) return m[1];
  }
  return undefined;
}

/**
 * The id a node of the file suggests for the layer it becomes, or undefined when nothing in the
 * file is readable (then the layer type's stem is numbered: `conv3`).
 */
export function readableName(
  node: OnnxNode,
  weightNames: readonly string[],
  ownExport = false,
): string | undefined {
  // NN Builder's exporter names the extra nodes of a layer `<layer id>/<part>_<n>` (SiLU's
  // Sigmoid, LayerNorm2d's LayerNormalization): the layer a pattern of them makes is that id.
  const part = ownExport ? /^(.+)\/[a-z]+_\d+$/.exec(node.name)?.[1] : undefined;
  if (part !== undefined && sanitize(part) !== '') return sanitize(part);
  if (node.name.startsWith('/')) {
    const parts = node.name.split('/').filter((p) => p !== '');
    const scopes = parts.slice(0, -1);
    const scope = qualifiedScope(scopes);
    const op = node.opType.toLowerCase();
    const own = scopes.at(-1)?.replace(/_\d+$/, '').toLowerCase();
    const name =
      FUNCTIONAL.has(node.opType) && own !== op ? [scope, op].filter(Boolean).join('.') : scope;
    if (sanitize(name) !== '') return sanitize(name);
  }
  const weight = fromWeight(weightNames);
  if (weight !== undefined) return sanitize(weight);
  if (node.name !== '' && sanitize(node.name) !== '') return sanitize(node.name);
  const output = node.outputs[0] ?? '';
  // Bare numbers (`191`) and generated names (`onnx::Relu_5`) say nothing.
  if (!/^\d*$/.test(output) && !output.includes('::')) return sanitize(output) || undefined;
  return undefined;
}
