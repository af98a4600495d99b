import type { TensorSpec } from '../../core/weights/StateDict.js';
import type { TorchLayout, WeightSpec } from './LayerBuilder.js';

/** Our (tfjs) shape of a PyTorch `weight`: conv [o, i, kh, kw] → [kh, kw, i, o]; linear [out, in] → [in, out]. */
function ourShape(shape: readonly number[], layout: TorchLayout): readonly number[] {
  const [a = 0, b = 0, kh = 1, kw = 1] = shape;
  if (layout === 'conv') return [kh, kw, b, a];
  if (layout === 'linear') return [b, a];
  return shape;
}

/** PyTorch's reset_parameters for each kind of tensor. */
function initOf(t: TensorSpec): WeightSpec['init'] {
  switch (t.role) {
    case 'weight':
    case 'bias':
      // kaiming_uniform(a=√5) on the weight gives U(±1/√fan_in); the bias bound is 1/√fan_in.
      return { uniform: t.fanIn > 0 ? 1 / Math.sqrt(t.fanIn) : 0 };
    case 'bn-weight':
    case 'running-var':
      return { constant: 1 };
    case 'bn-bias':
    case 'running-mean':
    case 'batches-tracked':
      return { constant: 0 };
  }
}

/**
 * The engine's weights of a layer, from the tensors its core definition declares
 * (`LayerDefinition.tensors`): same names and order, our layout, PyTorch's default init.
 * `layout` is how the `weight` tensor is stored here; every other tensor is a vector.
 */
export function weightSpecs(tensors: readonly TensorSpec[], layout: TorchLayout): WeightSpec[] {
  return tensors.map((t) => {
    const kind: TorchLayout = t.role === 'weight' ? layout : 'vector';
    const spec: WeightSpec = {
      name: t.name,
      shape: ourShape(t.shape, kind),
      layout: kind,
      init: initOf(t),
    };
    return t.trainable ? spec : { ...spec, buffer: true };
  });
}
