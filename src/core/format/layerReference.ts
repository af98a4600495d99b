import { CATEGORIES } from '../layers/LayerDefinition.js';
import type { NodeDefinition } from '../layers/registry.js';

/** docs/layers.md: every type of the catalog with its parameters, generated from the definitions. */
export function layerReference(definitions: readonly NodeDefinition[]): string {
  const out: string[] = [
    '# Layer catalog',
    '',
    'Generated from `src/core/layers/` and `src/core/blocks/` by `npm run docs`; do not edit by hand.',
    'Parameter names and defaults are `torch.nn`\'s. "—" in the default column means required.',
    '',
  ];
  for (const category of CATEGORIES) {
    const members = definitions.filter((d) => d.category === category);
    if (members.length === 0) continue;
    out.push(`## ${category}`, '');
    for (const d of members) {
      out.push(`### ${d.type}`, '', d.summary, '', d.explanation, '');
      const inputs = d.inputs.max === d.inputs.min ? `${d.inputs.min}` : `${d.inputs.min} or more`;
      out.push(
        `Inputs: ${inputs}.${d.kind === 'layer' && d.inferred ? ` \`${d.inferred.name}\` is inferred from the input.` : ''}`,
        '',
      );
      const params = Object.entries(d.params);
      if (params.length === 0) {
        out.push('No parameters.', '');
        continue;
      }
      out.push('| parameter | accepts | default | meaning |', '|---|---|---|---|');
      for (const [name, spec] of params) {
        const def = spec.default === undefined ? '—' : `\`${JSON.stringify(spec.default)}\``;
        out.push(
          `| \`${name}\`${spec.advanced ? ' (advanced)' : ''} | ${spec.expected} | ${def} | ${spec.description} |`,
        );
      }
      out.push('');
    }
  }
  return out.join('\n');
}
