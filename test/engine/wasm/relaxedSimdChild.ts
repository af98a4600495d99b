// Run by relaxedSimd.test.ts in a Node started with --experimental-wasm-relaxed-simd (Node 20's
// switch for what Node ≥ 22 and Electron have on by default): the kernels that accumulate with
// FunctionBody.multiplyAdd then use f32x4.relaxed_madd. Prints, as JSON, whether they did and how
// far each kernel is from tfjs' CPU backend.
import * as tf from '@tensorflow/tfjs';
import {
  FunctionBody,
  moduleBytes,
  relaxedSimdAvailable,
  V128,
} from '../../../src/engine/wasm/simd/wasmEmitter.js';
import { initBackends, runOn, scaledMaxError, seeded } from './backendCompare.js';

await initBackends();
const f = new FunctionBody(0);
const [acc, a, b] = [f.local(V128), f.local(V128), f.local(V128)];
f.multiplyAdd(acc, a, b);
const bytes = [...moduleBytes(0, f)];
const fused = bytes.some((v, i) => v === 0xfd && bytes[i + 1] === 0x85 && bytes[i + 2] === 0x02);

type Case = () => tf.Tensor[];
const conv =
  (x: number[], w: number[], pad: 'same' | 'valid', stride: 1 | 2): Case =>
  () => {
    const xt = tf.tensor4d(
      seeded(
        x.reduce((p, q) => p * q),
        21,
      ),
      x as [number, number, number, number],
    );
    const wt = tf.tensor4d(
      seeded(
        w.reduce((p, q) => p * q),
        22,
      ),
      w as [number, number, number, number],
    );
    const y = tf.conv2d(xt, wt, stride, pad);
    const dy = tf.tensor(seeded(y.size, 23), y.shape);
    const attrs = { strides: stride, pad, dataFormat: 'NHWC' };
    return [
      y,
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropInput',
          { dy, filter: wt },
          { ...attrs, inputShape: x },
        ) as tf.Tensor,
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropFilter',
          { x: xt, dy },
          { ...attrs, filterShape: w },
        ) as tf.Tensor,
    ];
  };
const cases: Record<string, Case> = {
  // Winograd's products (forward, input and filter gradient)
  'ResNet-20 3×3 conv, 16 channels': conv([2, 8, 8, 16], [3, 3, 16, 16], 'same', 1),
  // LeNet conv1: the direct SIMD forward loop and the SIMD filter gradient
  'LeNet conv1, 5×5, 1 channel': conv([2, 28, 28, 1], [5, 5, 1, 6], 'same', 1),
  // a strided conv's filter gradient on the SIMD loop
  '3×3 stride 2, 16 → 32': conv([2, 8, 8, 16], [3, 3, 16, 32], 'same', 2),
  // the dense layers' matMul
  'Linear 400 → 120, batch 32': () => [
    tf.matMul(
      tf.tensor2d(seeded(32 * 400, 24), [32, 400]),
      tf.tensor2d(seeded(400 * 120, 25), [400, 120]),
    ),
  ],
};
const errors: Record<string, number> = {};
for (const [name, fn] of Object.entries(cases)) {
  const wasm = await runOn('wasm', fn);
  const cpu = await runOn('cpu', fn);
  errors[name] = Math.max(...wasm.map((v, i) => scaledMaxError(v, cpu[i]!)));
}
console.log(JSON.stringify({ relaxedSimd: relaxedSimdAvailable(), fused, errors }));
