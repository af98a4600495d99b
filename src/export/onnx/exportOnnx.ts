import { analyze } from '../../core/analysis/analyze.js';
import type { GraphDocument } from '../../core/graph/document.js';
import type { StateDict } from '../../core/weights/StateDict.js';
import { ExportError } from '../ExportError.js';
import { onnxEmitterOf, type OnnxContext } from './onnxEmitters.js';
import { encodeModel, type AttributeValue, type OnnxNode, type OnnxTensor } from './onnxModel.js';

/**
 * An ONNX model (opset 17, NCHW, dynamic batch axis `batch`, weights embedded) computing what the
 * graph computes in inference mode, with its input and output tensors named after the graph's
 * Input and output nodes.
 */
export function exportOnnx(graph: GraphDocument, state: StateDict, version = '0.1.0'): Uint8Array {
  const analysis = analyze(graph);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    throw new ExportError(
      `the graph has errors; fix them first: ${errors.map((d) => d.message).join(' | ')}`,
      errors[0]?.node,
    );
  const tensorOf = (id: string) => analysis.nodes.get(id)?.outputNode ?? id;
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const inputs = [];
  for (const layer of analysis.layers) {
    if (layer.type === 'Input') {
      inputs.push({ name: layer.id, dims: ['batch', ...(layer.outputShape ?? [])] });
      continue;
    }
    const emit = onnxEmitterOf(layer.type);
    const fail = (reason: string): never => {
      throw new ExportError(
        `${layer.type} "${layer.id}" cannot be exported to ONNX: ${reason}.`,
        layer.id,
      );
    };
    if (emit === undefined) fail('this layer type has no ONNX form yet');
    let temps = 0;
    const ctx: OnnxContext = {
      layer,
      p: layer.resolvedParams ?? {},
      inputs: layer.sources.map(tensorOf),
      output: layer.id,
      weight(name, transpose = false) {
        const tensor = state.get(`${layer.id}.${name}`);
        if (tensor === undefined)
          throw new ExportError(`no weights for ${layer.id}.${name}`, layer.id);
        const tensorName = `${layer.id}.${name}${transpose ? '.T' : ''}`;
        const [rows = 1, cols = 1] = tensor.shape;
        const data = Float32Array.from(tensor.data);
        initializers.push({
          name: tensorName,
          dims: transpose ? [cols, rows] : tensor.shape,
          dataType: 'float',
          data: transpose
            ? Float32Array.from(
                { length: data.length },
                (_, i) => data[(i % rows) * cols + Math.floor(i / rows)] ?? 0,
              )
            : data,
        });
        return tensorName;
      },
      constant(suffix, values, type, dims) {
        const name = `${layer.id}/${suffix}`;
        initializers.push({
          name,
          dims: dims ?? [values.length],
          dataType: type,
          data:
            type === 'float'
              ? Float32Array.from(values)
              : BigInt64Array.from(values.map((v) => BigInt(v))),
        });
        return name;
      },
      node(
        opType: string,
        nodeInputs: readonly string[],
        attributes: Readonly<Record<string, AttributeValue>> = {},
        output?: string,
      ) {
        const out = output ?? layer.id;
        nodes.push({
          opType,
          name: output ?? layer.id,
          inputs: nodeInputs,
          outputs: [out],
          attributes,
        });
        return out;
      },
      temp: (suffix) => `${layer.id}/${suffix}_${temps++}`,
      fail,
    };
    emit?.(ctx);
  }
  // Outputs carry the graph's node ids; a block's output gets its block's name through an Identity.
  for (const id of analysis.outputs) {
    if (tensorOf(id) !== id)
      nodes.push({ opType: 'Identity', name: id, inputs: [tensorOf(id)], outputs: [id] });
  }
  const outputs = analysis.outputs.map((id) => ({
    name: id,
    dims: ['batch', ...(analysis.nodes.get(id)?.outputShape ?? [])] as (number | string)[],
  }));
  return encodeModel(
    { name: graph.name ?? 'graph', nodes, initializers, inputs, outputs },
    version,
    `${graph.name ?? 'graph'}, exported by NN Builder`,
  );
}
