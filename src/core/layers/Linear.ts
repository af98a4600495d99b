import { line } from '../graph/traceLines.js';
import { bool, int } from '../params/paramSpec.js';
import { formatShape, type Shape } from '../shape.js';
import { defineLayer, fail } from './LayerDefinition.js';
import { countTensors, weightAndBias } from './tensors.js';

/** torch `nn.Linear`: weight [out, in], bias [out]; fan_in = in_features. */
export function linearTensors(
  p: { readonly out_features: number; readonly bias: boolean },
  input: Shape,
) {
  const fin = input.at(-1) ?? 0;
  return weightAndBias([p.out_features, fin], fin, p.bias, p.out_features);
}

export const Linear = defineLayer({
  type: 'Linear',
  category: 'Linear/Reshape',
  idStem: 'fc',
  starter: { out_features: 10 },
  summary: 'Fully connected layer: every output feature is a weighted sum of every input feature.',
  explanation:
    'y = x·Wᵀ + b with W of shape out_features × in_features; in_features is read off the input. ' +
    'Parameters: in·out weights + out biases. MACs: in·out per sample. It expects a flat F input ' +
    '(put Flatten after the last conv/pool); on an L×F input it applies to the last dim of each ' +
    'of the L rows, as PyTorch does.',
  params: {
    out_features: int({ min: 1, description: 'Number of output features (neurons).' }),
    bias: bool({ default: true, description: 'Learn an additive bias per output feature.' }),
  },
  weighted: true,
  inputs: { min: 1, max: 1 },
  keyParams: (p) => `→ ${p.out_features}${p.bias ? '' : ' · no bias'}`,
  chip: (p) => `Linear ${p.out_features}`,
  inferred: { name: 'in_features', from: (s) => s[s.length - 1] },
  shape(ctx) {
    const s = ctx.input;
    const out = ctx.params.out_features;
    if (s.length >= 3) {
      fail(
        'needs-flatten',
        `${ctx.title} expects a flat input but receives ${formatShape(s)} — insert Flatten before it.`,
        {
          kind: 'insert-node',
          description: 'Insert Flatten before it',
          source: ctx.sources[0] ?? '',
          target: ctx.node,
          targetPort: 0,
          nodeType: 'Flatten',
          params: {},
        },
      );
    }
    if (s.length === 1)
      return { shape: [out], trace: [line('shape', 'F_out', 'out_features', out)] };
    const rows = s[0] ?? 0;
    const shape = [rows, out];
    return { shape, trace: [line('shape', 'shape', `${rows}×out_features`, formatShape(shape))] };
  },
  tensors: linearTensors,
  paramCount(ctx) {
    const fin = ctx.input[ctx.input.length - 1] ?? 0;
    const { out_features: out, bias } = ctx.params;
    const { weights } = countTensors(linearTensors(ctx.params, ctx.input));
    return {
      weights,
      buffers: 0,
      bufferBytes: 0,
      trace: [line('params', 'params', `${fin}·${out}${bias ? ` + ${out}` : ''}`, weights)],
    };
  },
  macs(ctx) {
    const s = ctx.input;
    const fin = s[s.length - 1] ?? 0;
    const rows = s.length === 2 ? (s[0] ?? 1) : 1;
    const out = ctx.params.out_features;
    const macs = rows * fin * out;
    return {
      macs,
      trace: [line('macs', 'MACs', `${s.length === 2 ? `${rows}·` : ''}${fin}·${out}`, macs)],
    };
  },
  receptiveField: () => ({ kind: 'flat' }),
});
