// convGeometry is asked at every call of every conv kernel, so it keeps what it computed: the
// same arguments must give the same (frozen) object, and any argument that changes the geometry
// must give another one, equal to the geometry computed anew.
import { describe, expect, it } from 'vitest';
import {
  computeConvGeometry,
  convGeometry,
  type ConvGradAttrs,
} from '../../../src/engine/wasm/convGeometry.js';

const X = [2, 9, 9, 4] as const;
const W = [3, 3, 4, 8] as const;
const BASE: ConvGradAttrs = { strides: 1, pad: 'same', dataFormat: 'NHWC' };

/** The geometry computed anew (tfjs' computeConv2DInfo), as a plain object. */
function fromTfjs(
  x: readonly number[],
  w: readonly number[],
  a: ConvGradAttrs,
  depthwise: boolean,
): Record<string, number> {
  return { ...computeConvGeometry(x, w, a, depthwise) };
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
