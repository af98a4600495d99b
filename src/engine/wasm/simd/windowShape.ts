/**
 * The constants a generated kernel over a sliding window is specialized to: the input map
 * [·, inHeight, inWidth, channels], the output positions, and the window (a pool's or a conv's).
 */
export interface WindowShape {
  readonly inHeight: number;
  readonly inWidth: number;
  readonly channels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
}
