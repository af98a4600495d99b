/**
 * Framework-neutral weights in PyTorch's layout and naming — what `model.state_dict()` holds:
 * Conv2d weight [C_out, C_in/groups, k_h, k_w], ConvTranspose2d weight [C_in, C_out/groups, k_h, k_w],
 * Linear weight [out, in], BatchNorm weight/bias/running_mean/running_var/num_batches_tracked.
 * Keys are `<node id>.<tensor>` with the node's full id (`layer1_0/conv1.weight`); each exporter
 * maps ids to its own naming. The engine converts to and from its own layout (NHWC kernels).
 */
export interface WeightTensor {
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int64';
  /** float32 values, or int64 values as float64 numbers (counters only; exact below 2^53). */
  readonly data: Float32Array | Float64Array;
}

export type StateDict = ReadonlyMap<string, WeightTensor>;

/** Which kind of tensor a name is, for initialization and for exporters. */
export type TensorRole =
  'weight' | 'bias' | 'bn-weight' | 'bn-bias' | 'running-mean' | 'running-var' | 'batches-tracked';

/** One tensor a layer owns, with what its PyTorch default initialization needs. */
export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly role: TensorRole;
  /** fan_in as `torch.nn.init._calculate_fan_in_and_fan_out` computes it for this layer's weight. */
  readonly fanIn: number;
  /** Parameters are trained; buffers (running statistics) are not. */
  readonly trainable: boolean;
}
