// The one table from ONNX operator to NN Builder layer. An operator not listed here (and not
// folded as shape arithmetic, foldConstants.ts) is reported as unsupported; a new layer type in
// the registry gets its ONNX operator by an entry here.
import {
  add,
  alias,
  batchNorm,
  clip,
  concat,
  dropout,
  flatten,
  gemm,
  hardSigmoid,
  matMul,
  mul,
  reshape,
  softmax,
  squeeze,
  sum,
  unary,
} from './layerOps.js';
import { layerNormalization, reduceMean, slice, split, transpose } from './channelOps.js';
import type { Params } from './GraphBuilder.js';
import type { OpContext, OpImporter } from './opContext.js';
import { conv, convTranspose, globalPool, pad, pool } from './windowOps.js';

/** A float attribute as a layer param, left out at PyTorch's default. */
const floatParam =
  (attr: string, param: string, fallback: number) =>
  (ctx: OpContext): Params => {
    const value = Number(ctx.attrs.float(attr, fallback).toPrecision(7));
    return value === fallback ? {} : { [param]: value };
  };

export const ONNX_OPS: Readonly<Record<string, OpImporter>> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  MaxPool: pool('MaxPool'),
  AveragePool: pool('AveragePool'),
  GlobalAveragePool: globalPool('AdaptiveAvgPool2d'),
  GlobalMaxPool: globalPool('AdaptiveMaxPool2d'),
  Pad: pad,
  BatchNormalization: batchNorm,
  LayerNormalization: layerNormalization,
  Relu: unary('ReLU'),
  LeakyRelu: unary('LeakyReLU', floatParam('alpha', 'negative_slope', 0.01)),
  Elu: unary('ELU', floatParam('alpha', 'alpha', 1)),
  Gelu: unary('GELU', (ctx): Params =>
    ctx.attrs.string('approximate', 'none') === 'tanh' ? { approximate: 'tanh' } : {},
  ),
  HardSwish: unary('Hardswish'),
  HardSigmoid: hardSigmoid,
  Sigmoid: unary('Sigmoid'),
  Tanh: unary('Tanh'),
  Clip: clip,
  Softmax: softmax('Softmax'),
  LogSoftmax: softmax('LogSoftmax'),
  Gemm: gemm,
  MatMul: matMul,
  Add: add,
  Sum: sum,
  Mul: mul,
  Concat: concat,
  Flatten: flatten,
  Reshape: reshape,
  Squeeze: squeeze,
  Split: split,
  Slice: slice,
  Transpose: transpose,
  ReduceMean: reduceMean,
  Identity: alias,
  Dropout: dropout,
};

/** The importer of an operator of the default domain, or undefined. */
export function onnxOpImporter(op: string): OpImporter | undefined {
  return Object.hasOwn(ONNX_OPS, op) ? ONNX_OPS[op] : undefined;
}
