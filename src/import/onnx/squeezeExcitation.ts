// Squeeze-excitation as exporters write it — GlobalAveragePool → 1×1 Conv → activation → 1×1 Conv
// → gate → Mul(gate, x) — folded from the layers the import made into one SqueezeExcitation
// block, with the convolutions' weights as the block's fc1 and fc2.
import type { ParamValue } from '../../core/graph/document.js';
import type { BuiltLayer } from './GraphBuilder.js';

/** The activations torchvision's SqueezeExcitation takes (the block's `activation` options). */
const ACTIVATIONS = new Set(['ReLU', 'SiLU', 'Hardswish']);
const GATES = new Set(['Sigmoid', 'Hardsigmoid']);

/** A squeeze-excitation found: its layers, in order, and the block that replaces them. */
export interface SqueezeExcitationMatch {
  /** pool, fc1, activation, fc2, gate, and the Multiply (whose place the block takes). */
  readonly layers: readonly BuiltLayer[];
  /** The map the gate scales: the block's input. */
  readonly input: string;
  /** The module's name when both convolutions share one (`features.1.block.1`), else undefined. */
  readonly name: string | undefined;
  readonly params: Readonly<Record<string, ParamValue>>;
}

/** A 1×1 convolution with its bias and nothing else set, as nn.Conv2d(c, s, 1) writes. */
function plainPointwise(layer: BuiltLayer | undefined): layer is BuiltLayer {
  if (layer?.type !== 'Conv2d') return false;
  const { out_channels: out, kernel_size: k, ...rest } = layer.params;
  const one = k === 1 || (Array.isArray(k) && k.every((v) => v === 1));
  return typeof out === 'number' && one && Object.keys(rest).length === 0;
}

/**
 * The scope two ids share, up to a separator (`a.b.fc1`, `a.b.fc2` → `a.b`; NN Builder's own
 * export of a block `se`: `se_fc1`, `se_fc2` → `se`), if any.
 */
function commonScope(a: string, b: string): string | undefined {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  const cut = Math.max(a.lastIndexOf('.', n - 1), a.lastIndexOf('_', n - 1));
  return cut > 0 ? a.slice(0, cut) : undefined;
}

/**
 * Whether the Multiply `m` closes a squeeze-excitation over one of its inputs: each layer of the
 * gate path read only by the next (`readers` counts the readers of a layer id).
 */
export function matchSqueezeExcitation(
  m: BuiltLayer,
  layer: (id: string) => BuiltLayer | undefined,
  readers: (id: string) => number,
): SqueezeExcitationMatch | undefined {
  if (m.type !== 'Multiply' || m.sources.length !== 2) return undefined;
  for (const port of [0, 1]) {
    const gate = layer(m.sources[port] ?? '');
    const input = m.sources[1 - port] ?? '';
    const fc2 = layer(gate?.sources[0] ?? '');
    const act = layer(fc2?.sources[0] ?? '');
    const fc1 = layer(act?.sources[0] ?? '');
    const pool = layer(fc1?.sources[0] ?? '');
    const path = [pool, fc1, act, fc2, gate];
    if (
      gate === undefined ||
      !GATES.has(gate.type) ||
      !plainPointwise(fc2) ||
      act === undefined ||
      !ACTIVATIONS.has(act.type) ||
      !plainPointwise(fc1) ||
      pool?.type !== 'AdaptiveAvgPool2d' ||
      pool.params.output_size !== 1 ||
      pool.sources[0] !== input ||
      !path.every((l) => l !== undefined && readers(l.id) === 1)
    ) {
      continue;
    }
    return {
      layers: [pool, fc1, act, fc2, gate, m],
      input,
      name: commonScope(fc1.id, fc2.id),
      params: {
        squeeze_channels: fc1.params.out_channels ?? 1,
        ...(act.type !== 'ReLU' && { activation: act.type }),
        ...(gate.type !== 'Sigmoid' && { scale_activation: gate.type }),
      },
    };
  }
  return undefined;
}
