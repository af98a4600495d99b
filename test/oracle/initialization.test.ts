import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze, type NodeAnalysis } from '../../src/core/analysis/analyze.js';
import type { ParamValue } from '../../src/core/graph/document.js';
import { getDefinition, LAYERS } from '../../src/core/layers/registry.js';
import { initialStateDict } from '../../src/core/weights/initialStateDict.js';
import { layerTensors } from '../../src/core/weights/layerTensors.js';
import { builderOf } from '../../src/engine/model/builders.js';
import { PYTHON, torchMissing } from '../export/torchAvailable.js';
import { LAYER_CASES } from '../export/layerCases.js';

// Every layer variant that owns tensors (test/export/layerCases.ts), checked against the module
// PyTorch builds for it: state_dict names, shapes and order, fan_in, and the U(±bound) or constant
// its reset_parameters uses — in the core's layerTensors/initialStateDict and in the engine's
// builders. Which layers own tensors is read off the definitions, not listed here.

interface TorchTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly trainable: boolean;
  readonly fanIn?: number;
  readonly bound?: number;
  readonly maxAbs?: number;
  readonly constant?: number | null;
}

interface Case {
  readonly name: string;
  readonly layer: NodeAnalysis;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly seedState: ReturnType<typeof initialStateDict>;
}

const cases: Case[] = Object.entries(LAYER_CASES).flatMap(([name, graph]) => {
  const analysis = analyze(graph);
  const layer = analysis.layers.find((l) => layerTensors(l).length > 0);
  const node = graph.nodes.find((n) => n.id === layer?.id);
  if (layer === undefined || node === undefined) return [];
  return [{ name, layer, params: node.params ?? {}, seedState: initialStateDict(analysis, 3) }];
});

function torchReports(): readonly (readonly TorchTensor[])[] {
  const input = cases.map(({ layer, params }) => {
    const definition = getDefinition(layer.type);
    const inferred = definition?.kind === 'layer' ? definition.inferred : undefined;
    if (inferred === undefined) throw new Error(`${layer.type} infers no torch argument`);
    const value = inferred.from(layer.inputShapes[0] ?? []);
    return { type: layer.type, params, inferred: { name: inferred.name, value } };
  });
  const script = fileURLToPath(new URL('./torch_init.py', import.meta.url));
  const r = spawnSync(PYTHON, [script], { input: JSON.stringify(input), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as (readonly TorchTensor[])[];
}

describe.skipIf(torchMissing !== null)('initialization against PyTorch reset_parameters', () => {
  const reports = torchMissing === null ? torchReports() : [];
  const rows = cases.map((c, i) => ({ ...c, torch: reports[i] ?? [] }));

  it('has a layer case for every type whose definition declares tensors', () => {
    const covered = new Set(cases.map((c) => c.layer.type));
    const declaring = Object.values<{ type: string; tensors?: unknown }>(LAYERS)
      .filter((d) => d.tensors !== undefined)
      .map((d) => d.type);
    expect(declaring.length).toBeGreaterThan(0);
    expect(declaring.filter((t) => !covered.has(t))).toEqual([]);
  });

  it.each(rows)('$name', ({ layer, seedState, torch }) => {
    const ours = layerTensors(layer);
    expect(ours.map((t) => [t.name, t.shape, t.trainable])).toEqual(
      torch.map((t) => [t.name, t.shape, t.trainable]),
    );
    const builder = builderOf(layer.type);
    if (builder === undefined) throw new Error(`no engine builder for ${layer.type}`);
    const engine = builder({
      id: layer.id,
      params: (layer.resolvedParams ?? {}) as never,
      inputShapes: layer.inputShapes,
      outputShape: layer.outputShape ?? [],
    }).weights;
    expect(engine.map((w) => w.name)).toEqual(torch.map((t) => t.name));
    torch.forEach((t, k) => {
      const spec = ours[k];
      const data = seedState.get(`${layer.id}.${t.name}`)?.data ?? new Float32Array();
      const init = engine[k]?.init;
      const size = t.shape.reduce((a, b) => a * b, 1);
      expect(
        engine[k]?.shape.reduce((a, b) => a * b, 1),
        t.name,
      ).toBe(size);
      if (t.bound !== undefined) {
        expect(spec?.fanIn, `${t.name} fan_in`).toBe(t.fanIn);
        expect(init, `${t.name} engine bound`).toEqual({ uniform: expect.closeTo(t.bound, 12) });
        const maxAbs = Math.max(...Array.from(data, Math.abs));
        expect(maxAbs, `${t.name} core draw`).toBeLessThanOrEqual(t.bound * (1 + 1e-6));
        // A draw of this many uniforms reaches near its bound, as PyTorch's own does.
        if (size >= 64) expect(maxAbs).toBeGreaterThan(t.bound * 0.9);
        if (size >= 64) expect(t.maxAbs).toBeGreaterThan(t.bound * 0.9);
      } else {
        expect(t.constant, `${t.name} is a constant in torch`).not.toBeNull();
        expect(init, `${t.name} engine init`).toEqual({ constant: t.constant });
        expect([...new Set(data)], `${t.name} core init`).toEqual([t.constant]);
      }
    });
  });
});
