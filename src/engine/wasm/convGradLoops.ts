// Direct loops for the gradients of conv2d and depthwise conv2d, on plain Float32Arrays. They
// handle every geometry (any stride, dilation and padding, negative effective pads included) and
// are the fallback of the faster kernels, which compose XNNPACK convolutions instead.
import type { ConvGeometry } from './convGeometry.js';

/**
 * Accumulates the filter gradient into `dw` (zeroed by the caller).
 * Conv: dw[kh,kw,ci,co] = Σ x[n,ih,iw,ci]·dy[n,oh,ow,co]; depthwise (multiplier m = Cout/Cin):
 * dw[kh,kw,ci,j] = Σ x[n,ih,iw,ci]·dy[n,oh,ow,ci·m+j]; ih = oh·stride + kh·dilation − padTop.
 */
export function convFilterGradLoop(
  g: ConvGeometry,
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
  depthwise: boolean,
): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const CO = g.outChannels;
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const dyBase = ((n * OH + oh) * OW + ow) * CO;
        for (let kh = 0; kh < g.filterHeight; kh++) {
          const ih = oh * g.strideHeight + kh * g.dilationHeight - g.padTop;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < g.filterWidth; kw++) {
            const iw = ow * g.strideWidth + kw * g.dilationWidth - g.padLeft;
            if (iw < 0 || iw >= W) continue;
            const xBase = ((n * H + ih) * W + iw) * C;
            const wBase = (kh * g.filterWidth + kw) * (depthwise ? CO : C * CO);
            if (depthwise) {
              const m = CO / C;
              for (let ci = 0; ci < C; ci++) {
                const xv = x[xBase + ci]!;
                for (let j = 0; j < m; j++)
                  dw[wBase + ci * m + j]! += xv * dy[dyBase + ci * m + j]!;
              }
            } else {
              for (let ci = 0; ci < C; ci++) {
                const xv = x[xBase + ci]!;
                const row = wBase + ci * CO;
                for (let co = 0; co < CO; co++) dw[row + co]! += xv * dy[dyBase + co]!;
              }
            }
          }
        }
      }
    }
  }
}

/**
 * Accumulates the input gradient into `dx` (zeroed by the caller): the transpose of the forward
 * convolution, dx[n,ih,iw,ci] = Σ w[kh,kw,ci,·]·dy[n,oh,ow,·] over the taps that read (ih, iw).
 */
export function convInputGradLoop(
  g: ConvGeometry,
  w: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  depthwise: boolean,
): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const CO = g.outChannels;
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const dyBase = ((n * OH + oh) * OW + ow) * CO;
        for (let kh = 0; kh < g.filterHeight; kh++) {
          const ih = oh * g.strideHeight + kh * g.dilationHeight - g.padTop;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < g.filterWidth; kw++) {
            const iw = ow * g.strideWidth + kw * g.dilationWidth - g.padLeft;
            if (iw < 0 || iw >= W) continue;
            const xBase = ((n * H + ih) * W + iw) * C;
            const wBase = (kh * g.filterWidth + kw) * (depthwise ? CO : C * CO);
            if (depthwise) {
              const m = CO / C;
              for (let ci = 0; ci < C; ci++) {
                let sum = 0;
                for (let j = 0; j < m; j++)
                  sum += w[wBase + ci * m + j]! * dy[dyBase + ci * m + j]!;
                dx[xBase + ci]! += sum;
              }
            } else {
              for (let ci = 0; ci < C; ci++) {
                const row = wBase + ci * CO;
                let sum = 0;
                for (let co = 0; co < CO; co++) sum += w[row + co]! * dy[dyBase + co]!;
                dx[xBase + ci]! += sum;
              }
            }
          }
        }
      }
    }
  }
}
