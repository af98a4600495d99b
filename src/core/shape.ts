/** A tensor shape without the batch axis, PyTorch order: [C, H, W] for images, [F] for flat features. */
export type Shape = readonly number[];

/** A pair of per-axis values, [height, width]. */
export type Pair = readonly [number, number];

/** `6×28×28`, the way shapes are written on edges and in tables. */
export function formatShape(shape: Shape): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}

/** Number of elements in one sample of this shape. */
export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** True for a C×H×W feature map, the only rank spatial layers accept. */
export function isSpatial(shape: Shape): boolean {
  return shape.length === 3;
}
