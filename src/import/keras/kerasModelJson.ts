import { ModelFormatError } from '../onnx/importErrors.js';

export type KerasConfig = Readonly<Record<string, unknown>>;

/** One Keras layer of the model: its class, unique name, config and the layers feeding it. */
export interface KerasLayerSpec {
  readonly className: string;
  readonly name: string;
  readonly config: KerasConfig;
  /** The names of the layers whose outputs it reads, in call order (Sequential: the previous one). */
  readonly inbound: readonly string[];
}

/** One entry of the weights manifest: a tensor stored in the group's .bin files. */
export interface ManifestWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantization?: unknown;
}

export interface ManifestGroup {
  readonly paths: readonly string[];
  readonly weights: readonly ManifestWeight[];
}

/** A TensorFlow.js LayersModel `model.json` (or a Keras model's JSON) as plain values. */
export interface KerasModelJson {
  readonly name: string;
  readonly kind: 'Sequential' | 'Functional';
  readonly layers: readonly KerasLayerSpec[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly manifest: readonly ManifestGroup[];
  /** `tfjs-layers 4.22.0`, `2.15.0`, … as the file says, or ''. */
  readonly producer: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(message: string): never {
  throw new ModelFormatError(message);
}

/**
 * Reads a `model.json` as TensorFlow.js writes it (`modelTopology` + `weightsManifest`, from
 * `tf.LayersModel.save`, `tensorflowjs_converter` or `nnb export --format tfjs`) or a Keras
 * `model.to_json()`. Sequential and functional models; Keras 2 and Keras 3 inbound-node forms.
 * Throws ModelFormatError naming what is wrong.
 */
export function readKerasModelJson(text: string): KerasModelJson {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    fail(
      `it is not valid JSON (${(error as Error).message})${text.trim() === '' ? ': the file is empty' : ''}`,
    );
  }
  if (!isRecord(root)) fail('it is not a Keras model: the JSON is not an object');
  const topology = isRecord(root.modelTopology) ? root.modelTopology : root;
  const model = isRecord(topology.model_config) ? topology.model_config : topology;
  const className = model.class_name;
  if (typeof className !== 'string' || (!isRecord(model.config) && !Array.isArray(model.config))) {
    fail('it is not a Keras model: no modelTopology with a class_name and a config');
  }
  const producer = String(topology.keras_version ?? root.generatedBy ?? '');
  const manifest = readManifest(root.weightsManifest);
  const config = model.config;
  if (className === 'Sequential') {
    const layers = Array.isArray(config) ? config : isRecord(config) ? config.layers : undefined;
    const name = isRecord(config) && typeof config.name === 'string' ? config.name : 'sequential';
    return { ...sequential(layers), name, kind: 'Sequential', manifest, producer };
  }
  if (className === 'Model' || className === 'Functional') {
    if (!isRecord(config)) fail('the functional model has no config object');
    return { ...functional(config), kind: 'Functional', manifest, producer };
  }
  return fail(`its model is a "${className}"; nnb import reads Sequential and functional models`);
}

function readManifest(value: unknown): ManifestGroup[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail('its weightsManifest is not a list');
  return value.map((group, g) => {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      fail(`weightsManifest[${g}] has no paths and weights lists`);
    }
    const weights = group.weights.map((w, i): ManifestWeight => {
      const ok =
        isRecord(w) &&
        typeof w.name === 'string' &&
        Array.isArray(w.shape) &&
        w.shape.every((d) => Number.isInteger(d) && (d as number) >= 0);
      if (!ok) fail(`weightsManifest[${g}].weights[${i}] has no name or no valid shape`);
      return {
        name: w.name as string,
        shape: w.shape as number[],
        dtype: String(w.dtype ?? 'float32'),
        ...(w.quantization !== undefined && { quantization: w.quantization }),
      };
    });
    return { paths: group.paths.map(String), weights };
  });
}

function layerBase(
  value: unknown,
  where: string,
): { className: string; name: string; config: KerasConfig } {
  if (!isRecord(value) || typeof value.class_name !== 'string') {
    fail(`${where} is not a Keras layer (no class_name)`);
  }
  const config = isRecord(value.config) ? value.config : {};
  const name = typeof value.name === 'string' ? value.name : config.name;
  if (typeof name !== 'string' || name === '') fail(`${where} (${value.class_name}) has no name`);
  return { className: value.class_name, name, config };
}

/** A Sequential model: each layer reads the previous one; the first declares the input shape. */
function sequential(layers: unknown): Pick<KerasModelJson, 'layers' | 'inputs' | 'outputs'> {
  if (!Array.isArray(layers) || layers.length === 0) fail('the Sequential model has no layers');
  const specs = layers.map((l, i) => layerBase(l, `layer ${i}`));
  const out: KerasLayerSpec[] = [];
  const firstSpec = specs[0];
  if (firstSpec !== undefined && firstSpec.className !== 'InputLayer') {
    const shape = firstSpec.config.batch_input_shape ?? firstSpec.config.batch_shape;
    if (!Array.isArray(shape)) {
      fail(`its first layer "${firstSpec.name}" declares no batch_input_shape`);
    }
    out.push({
      className: 'InputLayer',
      name: 'input',
      config: { batch_input_shape: shape },
      inbound: [],
    });
  }
  for (const spec of specs) {
    const previous = out.at(-1);
    out.push({ ...spec, inbound: previous === undefined ? [] : [previous.name] });
  }
  const first = out[0]?.name ?? '';
  return { layers: out, inputs: [first], outputs: [out.at(-1)?.name ?? first] };
}

/** A functional model: layers with inbound nodes, input_layers and output_layers. */
function functional(
  config: Record<string, unknown>,
): Pick<KerasModelJson, 'layers' | 'inputs' | 'outputs' | 'name'> {
  if (!Array.isArray(config.layers) || config.layers.length === 0) {
    fail('the functional model has no layers');
  }
  const layers = config.layers.map((l: unknown, i): KerasLayerSpec => {
    const base = layerBase(l, `layer ${i}`);
    return {
      ...base,
      inbound: inboundNames((l as Record<string, unknown>).inbound_nodes, base.name),
    };
  });
  const names = new Set(layers.map((l) => l.name));
  for (const layer of layers) {
    for (const source of layer.inbound) {
      if (!names.has(source)) {
        fail(`layer "${layer.name}" reads "${source}", which is not a layer of the model`);
      }
    }
  }
  const ends = (value: unknown, what: string): string[] => {
    const list = Array.isArray(value) && typeof value[0] === 'string' ? [value] : value;
    if (!Array.isArray(list) || list.length === 0) fail(`the functional model has no ${what}`);
    return list.map((entry) => {
      const name: unknown = Array.isArray(entry) ? entry[0] : entry;
      if (typeof name !== 'string' || !names.has(name)) {
        fail(`its ${what} name "${String(name)}", which is not a layer of the model`);
      }
      return name;
    });
  };
  return {
    name: typeof config.name === 'string' ? config.name : 'model',
    layers,
    inputs: ends(config.input_layers, 'input_layers'),
    outputs: ends(config.output_layers, 'output_layers'),
  };
}

/**
 * The source layers of a layer's single call. Keras 2: `[[[name, node, tensor, kwargs], …]]`;
 * Keras 3: `[{args: [tensor | [tensor, …]]}]` with `config.keras_history = [name, node, tensor]`.
 */
function inboundNames(nodes: unknown, layer: string): string[] {
  if (nodes === undefined || (Array.isArray(nodes) && nodes.length === 0)) return [];
  if (!Array.isArray(nodes)) fail(`layer "${layer}" has inbound_nodes that are not a list`);
  if (nodes.length > 1) {
    fail(`layer "${layer}" is called ${nodes.length} times (shared layers are not imported)`);
  }
  const node: unknown = nodes[0];
  const history = (t: unknown): unknown[] | undefined => {
    if (Array.isArray(t)) return t;
    const config = isRecord(t) && isRecord(t.config) ? t.config : undefined;
    return Array.isArray(config?.keras_history) ? config.keras_history : undefined;
  };
  const entries: unknown[] = Array.isArray(node)
    ? node
    : isRecord(node) && Array.isArray(node.args)
      ? node.args.flatMap((a: unknown) => (Array.isArray(a) ? a : [a]))
      : [];
  return entries.map((entry) => {
    const h = history(entry);
    if (h === undefined || typeof h[0] !== 'string') {
      fail(`layer "${layer}" has an inbound node that names no layer`);
    }
    if ((h[2] ?? 0) !== 0) {
      fail(
        `layer "${layer}" reads output ${String(h[2])} of "${h[0]}"; only first outputs are read`,
      );
    }
    return h[0];
  });
}

/** The .bin file names a model.json's weights manifest lists (to read them from beside it). */
export function manifestFiles(text: string): string[] {
  const paths = readKerasModelJson(text).manifest.flatMap((g) => g.paths);
  return [...new Set(paths.map((p) => p.split(/[\\/]/).at(-1) ?? p))];
}
