// convGeometry is asked at every call of every conv kernel, so it keeps what it computed: the
// same arguments must give the same (frozen) object, and any argument that changes the geometry
// must give another one, equal to what tfjs' computeConv2DInfo says.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { convGeometry, type ConvGradAttrs } from '../../../src/engine/wasm/convGeometry.js';

const X = [2, 9, 9, 4] as const;
const W = [3, 3, 4, 8] as const;
const BASE: ConvGradAttrs = { strides: 1, pad: 'same', dataFormat: 'NHWC' };

/** What tfjs computes for these arguments, in convGeometry's terms. */
function fromTfjs(
  x: readonly number[],
  w: readonly number[],
  a: ConvGradAttrs,
  depthwise: boolean,
): Record<string, number> {
  const info = tf.backend_util.computeConv2DInfo(
    x as [number, number, number, number],
    w as [number, number, number, number],
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
    depthwise,
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    padBottom: info.padInfo.bottom,
    padRight: info.padInfo.right,
  };
}

describe('convGeometry', () => {
  it('gives the same frozen object for the same arguments, even in new arrays', () => {
    const a = convGeometry([...X], [...W], { ...BASE }, false);
    const b = convGeometry([...X], [...W], { ...BASE }, false);
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect({ ...a }).toEqual(fromTfjs(X, W, BASE, false));
  });

  // Each variant changes one argument; every one changes the geometry.
  const variants: [string, readonly number[], readonly number[], ConvGradAttrs, boolean][] = [
    ['batch', [3, 9, 9, 4], W, BASE, false],
    ['height', [2, 11, 9, 4], W, BASE, false],
    ['filter size', X, [5, 5, 4, 8], BASE, false],
    ['output channels', X, [3, 3, 4, 16], BASE, false],
    ['stride', X, W, { ...BASE, strides: 2 }, false],
    ['stride pair', X, W, { ...BASE, strides: [2, 1] }, false],
    ['dilation', X, W, { ...BASE, dilations: 2 }, false],
    ['valid padding', X, W, { ...BASE, pad: 'valid' }, false],
    ['numeric padding', X, W, { ...BASE, pad: 2 }, false],
    [
      'explicit padding',
      X,
      W,
      {
        ...BASE,
        pad: [
          [0, 0],
          [0, 2],
          [1, 1],
          [0, 0],
        ],
      },
      false,
    ],
    [
      'rounding',
      [2, 10, 10, 4],
      W,
      { ...BASE, strides: 3, pad: 1, dimRoundingMode: 'ceil' },
      false,
    ],
    ['depthwise', X, [3, 3, 4, 2], BASE, true],
  ];
  for (const [name, x, w, attrs, depthwise] of variants) {
    it(`computes a geometry of its own for another ${name}`, () => {
      const base = convGeometry(X, W, BASE, false);
      const g = convGeometry(x, w, attrs, depthwise);
      expect(g).not.toBe(base);
      expect({ ...g }).toEqual(fromTfjs(x, w, attrs, depthwise));
      expect(convGeometry([...x], [...w], { ...attrs }, depthwise)).toBe(g);
    });
  }

  it('tells a depthwise filter from a plain one of the same shape', () => {
    const plain = convGeometry(X, [3, 3, 4, 2], BASE, false);
    const depthwise = convGeometry(X, [3, 3, 4, 2], BASE, true);
    expect(plain.outChannels).toBe(2);
    expect(depthwise.outChannels).toBe(8);
    expect(convGeometry(X, [3, 3, 4, 2], BASE, true)).toBe(depthwise);
  });

  it('refuses NCHW as before', () => {
    expect(() => convGeometry(X, W, { ...BASE, dataFormat: 'NCHW' }, false)).toThrow(/NHWC/);
  });
});
