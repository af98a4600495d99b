import { BUDGETS } from '../budgets/budgets.js';
import { GRAPH_FORMAT, GRAPH_VERSION } from '../graph/document.js';
import type { NodeDefinition } from '../layers/registry.js';
import type { JsonSchema } from '../params/paramSpec.js';

/** JSON Schema (2020-12) of the `*.nnb.json` graph document, built from the layer catalog. */
export function graphJsonSchema(definitions: readonly NodeDefinition[]): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://nn-builder.dev/schema/graph-v${GRAPH_VERSION}.json`,
    title: 'NN Builder graph document',
    description: `A neural network as nodes (layers) and edges (tensors), format version ${GRAPH_VERSION}. See docs/graph-format.md.`,
    type: 'object',
    required: ['format', 'version', 'nodes', 'edges'],
    properties: {
      format: { const: GRAPH_FORMAT },
      version: { type: 'integer', minimum: 1, maximum: GRAPH_VERSION },
      name: { type: 'string' },
      description: { type: 'string' },
      nodes: { type: 'array', items: { $ref: '#/$defs/node' } },
      edges: { type: 'array', items: { $ref: '#/$defs/edge' } },
      ui: { description: 'Editor state; ignored by the analysis.' },
      budgets: {
        type: 'object',
        description:
          'Design targets checked live (version 2): costs as {"max": n}, the receptive field at the output as {"min": n}.',
        properties: Object.fromEntries(
          BUDGETS.map((b) => [
            b.kind,
            {
              type: 'object',
              required: [b.relation],
              properties: { [b.relation]: { type: 'number', minimum: 0 } },
              description: b.meaning,
            },
          ]),
        ),
      },
    },
    $defs: {
      node: {
        type: 'object',
        required: ['id', 'type'],
        properties: {
          id: { type: 'string', minLength: 1 },
          type: { enum: definitions.map((d) => d.type) },
          params: { type: 'object' },
          trainable: {
            type: 'boolean',
            description: 'false freezes the layer (non-trainable parameters).',
          },
          ui: { description: 'Position, colour… ignored by the analysis.' },
        },
        allOf: definitions.map((d) => ({
          if: { properties: { type: { const: d.type } } },
          then: { properties: { params: { $ref: `#/$defs/params_${d.type}` } } },
        })),
      },
      edge: {
        type: 'object',
        required: ['source', 'target'],
        properties: {
          source: { type: 'string', minLength: 1 },
          target: { type: 'string', minLength: 1 },
          targetPort: {
            type: 'integer',
            minimum: 0,
            description: 'Input slot of the target; order matters for Concat.',
          },
        },
      },
      ...Object.fromEntries(definitions.map((d) => [`params_${d.type}`, paramsSchema(d)])),
    },
  };
}

function paramsSchema(d: NodeDefinition): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, spec] of Object.entries(d.params)) {
    properties[name] = {
      ...spec.schema,
      description: spec.description,
      ...(spec.default !== undefined && { default: spec.default }),
    };
    if (spec.default === undefined) required.push(name);
  }
  if (d.kind === 'layer' && d.inferred) {
    properties[d.inferred.name] = {
      type: 'integer',
      minimum: 1,
      description: 'Inferred from the input; checked when stated.',
    };
  }
  return {
    type: 'object',
    description: `${d.type}: ${d.summary}`,
    properties,
    ...(required.length > 0 && { required }),
    additionalProperties: false,
  };
}
