// The input gradient of a strided, undilated conv by stride phases (sub-pixel decomposition).
// Spreading dy by the stride and running one conv over it (conv2dBackpropInput.ts) multiplies
// zeros in 3 of every 4 positions at stride 2. Instead, the input positions whose (ih + padTop)
// mod SH = ph and (iw + padLeft) mod SW = pw form a phase; only the taps kh ≡ ph, kw ≡ pw (mod S)
// reach them, and
//   dx[n, S·qh + ph − padTop, S·qw + pw − padLeft, ci]
//     = Σ_{a, b, co} dy[n, qh − a, qw − b, co] · w[ph + S·a, pw + S·b, ci, co],
// a stride-1 conv of dy with the sub-filter flipped in space and its channels swapped, run by the
// Conv2D kernel (the direct loop or XNNPACK: conv2d.ts); each phase's rows are then placed into dx by a SIMD strided copy (simd/scatterSimd.ts).
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { ConvGeometry } from './convGeometry.js';
import { conv2d } from './conv2d.js';
import { scatterFn } from './simd/scatterSimd.js';
import {
  heapAddress,
  heapView,
  makeFloat32,
  release,
  simdKernelsAvailable,
  wasmMemory,
} from './wasmKernelContext.js';

/** One stride phase along an axis: its taps and the dy/dx rows it spans. */
interface AxisPhase {
  /** the phase: (i + pad) mod S */
  readonly p: number;
  /** taps k = p + S·a, a < taps */
  readonly taps: number;
  /** first and count of q, where i = S·q + p − pad lies inside the input */
  readonly q0: number;
  readonly count: number;
  /** padding of dy before/after for the stride-1 conv producing rows q0 … q0 + count − 1 */
  readonly before: number;
  readonly after: number;
}

function axisPhases(size: number, out: number, kernel: number, stride: number, pad: number) {
  return Array.from({ length: stride }, (_, p): AxisPhase => {
    const taps = Math.max(0, Math.ceil((kernel - p) / stride));
    const q0 = Math.ceil((pad - p) / stride);
    const count = Math.floor((size - 1 + pad - p) / stride) - q0 + 1;
    const before = taps - 1 - q0;
    return { p, taps, q0, count, before, after: count + taps - 1 - out - before };
  });
}

/** Whether the phase decomposition handles this conv (else: spread dy, one conv). */
export function stridedInputGradApplies(backend: BackendWasm, g: ConvGeometry): boolean {
  if (g.strideHeight === 1 && g.strideWidth === 1) return false;
  if (g.dilationHeight !== 1 || g.dilationWidth !== 1 || g.inChannels < 4) return false;
  const rows = axisPhases(g.inHeight, g.outHeight, g.filterHeight, g.strideHeight, g.padTop);
  const cols = axisPhases(g.inWidth, g.outWidth, g.filterWidth, g.strideWidth, g.padLeft);
  // XNNPACK takes no negative padding (cropping); such convs keep the spread path.
  const fits = (a: AxisPhase): boolean =>
    a.taps === 0 || a.count <= 0 || (a.before >= 0 && a.after >= 0);
  return rows.every(fits) && cols.every(fits) && simdKernelsAvailable(backend);
}

/** dx [N, H, W, C] of the conv with geometry `g` (stridedInputGradApplies must hold). */
export function stridedInputGrad(
  backend: BackendWasm,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  g: ConvGeometry,
): tf.TensorInfo {
  const { batch: N, inHeight: H, inWidth: W, inChannels: C, outChannels: CO } = g;
  const { filterWidth: KW, strideHeight: SH, strideWidth: SW } = g;
  const rows = axisPhases(H, g.outHeight, g.filterHeight, SH, g.padTop);
  const cols = axisPhases(W, g.outWidth, KW, SW, g.padLeft);
  const dx = backend.makeOutput([N, H, W, C], 'float32');
  // Positions no tap reaches (a phase without taps, e.g. a 1×1 conv's odd rows) stay 0.
  if ([...rows, ...cols].some((a) => a.taps === 0 && a.count > 0)) heapView(backend, dx).fill(0);
  for (const r of rows) {
    for (const c of cols) {
      if (r.taps === 0 || c.taps === 0 || r.count <= 0 || c.count <= 0) continue;
      const sub = makeFloat32(backend, [r.taps, c.taps, CO, C], (out) => {
        const w = heapView(backend, filter);
        for (let a = 0; a < r.taps; a++) {
          for (let b = 0; b < c.taps; b++) {
            const kh = r.p + SH * (r.taps - 1 - a);
            const kw = c.p + SW * (c.taps - 1 - b);
            const src = (kh * KW + kw) * C * CO;
            const dst = (a * c.taps + b) * CO * C;
            for (let ci = 0; ci < C; ci++) {
              for (let co = 0; co < CO; co++) out[dst + co * C + ci] = w[src + ci * CO + co]!;
            }
          }
        }
      });
      const phase = conv2d({
        backend,
        inputs: { x: dy, filter: sub },
        attrs: {
          strides: [1, 1],
          dilations: [1, 1],
          pad: [
            [0, 0],
            [r.before, r.after],
            [c.before, c.after],
            [0, 0],
          ],
          dataFormat: 'NHWC',
        },
      });
      release(backend, sub);
      // Row q of the phase → dx row S·q + p − pad, every SW-th column from the phase's first.
      const copy = scatterFn(wasmMemory(backend), C, SW * C * 4);
      const src = heapAddress(backend, phase);
      const base = heapAddress(backend, dx);
      const ih0 = SH * r.q0 + r.p - g.padTop;
      const iw0 = SW * c.q0 + c.p - g.padLeft;
      const rowBytes = W * C * 4;
      copy(src, base + (ih0 * W + iw0) * C * 4, c.count, r.count, SH * rowBytes, N, H * rowBytes);
      release(backend, phase);
    }
  }
  return dx;
}
