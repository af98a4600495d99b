import type { NodeAnalysis } from '../analysis/analyze.js';
import type { TensorSpec } from './StateDict.js';

/**
 * The tensors of a primitive layer in PyTorch's layout, from its resolved params and its analyzed
 * input/output shapes. Layers without parameters (and layers whose params are invalid) own none.
 */
export function layerTensors(layer: NodeAnalysis): TensorSpec[] {
  const params = layer.resolvedParams ?? {};
  const input = layer.inputShapes[0] ?? [];
  const output = layer.outputShape ?? [];
  const t = (
    name: string,
    shape: number[],
    role: TensorSpec['role'],
    fanIn: number,
    trainable = true,
  ): TensorSpec => ({
    name,
    shape,
    role,
    fanIn,
    trainable,
  });
  switch (layer.type) {
    case 'Conv2d':
    case 'ConvTranspose2d': {
      const [kh = 1, kw = 1] = params.kernel_size as readonly number[];
      const groups = params.groups as number;
      const cin = input[0] ?? 0;
      const cout = output[0] ?? 0;
      // torch: weight.size(1) · receptive field size; for ConvTranspose2d size(1) is C_out/groups.
      const shape =
        layer.type === 'Conv2d' ? [cout, cin / groups, kh, kw] : [cin, cout / groups, kh, kw];
      const fanIn = (shape[1] ?? 0) * kh * kw;
      return [
        t('weight', shape, 'weight', fanIn),
        ...(params.bias === false ? [] : [t('bias', [cout], 'bias', fanIn)]),
      ];
    }
    case 'Linear': {
      const fin = input.at(-1) ?? 0;
      const fout = output.at(-1) ?? 0;
      return [
        t('weight', [fout, fin], 'weight', fin),
        ...(params.bias === false ? [] : [t('bias', [fout], 'bias', fin)]),
      ];
    }
    case 'BatchNorm1d':
    case 'BatchNorm2d': {
      const c = input[0] ?? 0;
      const affine = params.affine !== false;
      const stats = params.track_running_stats !== false;
      return [
        ...(affine ? [t('weight', [c], 'bn-weight', c), t('bias', [c], 'bn-bias', c)] : []),
        ...(stats
          ? [
              t('running_mean', [c], 'running-mean', c, false),
              t('running_var', [c], 'running-var', c, false),
              t('num_batches_tracked', [], 'batches-tracked', c, false),
            ]
          : []),
      ];
    }
    default:
      return [];
  }
}
