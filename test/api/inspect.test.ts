import { describe, expect, it } from 'vitest';
import { ENGINE_METHODS } from '../../src/api/EngineApi.js';
import { createEngineClient } from '../../src/api/engineClient.js';
import { dispatchEngineRequest, type EngineHandlers } from '../../src/api/engineDispatch.js';
import type { InspectApi } from '../../src/api/inspect.js';
import { webHandlers } from '../../src/server/webHandlers.js';
import { TemplateStore } from '../../src/server/templateStore.js';

const tensor = { shape: [1, 2], data: 'AACAPwAAAEA=', min: 1, max: 2 };
const image = { width: 2, height: 1, channels: 1 as const, pixels: 'AP8=' };

/** An inspect engine double that records the validated params it receives. */
function recordingInspect() {
  const calls: unknown[] = [];
  const api: InspectApi = {
    samples: async (p) => (
      calls.push(p),
      {
        dataset: 'digits',
        classNames: ['0', '1'],
        validationSize: 2,
        samples: [{ index: 0, label: 1, className: '1', image }],
      }
    ),
    activations: async (p) => (
      calls.push(p),
      {
        node: p.node,
        computedNode: p.node,
        type: 'Conv2d',
        weights: 'trained',
        epoch: 1,
        activation: tensor,
      }
    ),
    filters: async (p) => (
      calls.push(p),
      { node: 'conv1', convNodes: ['conv1'], initial: tensor, trained: null, trainedEpoch: null }
    ),
    mistakes: async (p) => (
      calls.push(p),
      {
        trueClass: p.trueClass,
        predictedClass: p.predictedClass,
        classNames: ['0', '1'],
        total: 0,
        validationSize: 2,
        images: [],
      }
    ),
  };
  return { api, calls };
}

function setup() {
  const inspect = recordingInspect();
  const handlers: EngineHandlers = webHandlers({
    version: '0',
    templates: new TemplateStore('/nonexistent'),
    training: async () => undefined,
    trainingAvailable: () => false,
    runsDir: '/runs',
    inspect: async () => inspect.api,
  });
  return { handlers, calls: inspect.calls };
}

const lenet = {
  format: 'nnb-graph',
  version: 1,
  nodes: [{ id: 'input', type: 'Input', params: { shape: [1, 28, 28] } }],
  edges: [],
};

describe('inspect requests are validated before the engine sees them', () => {
  it('fills defaults: 10 samples, the best checkpoint, seed 42, limit 48, the first conv', async () => {
    const { handlers, calls } = setup();
    const px = { width: 1, height: 1, channels: 1, data: [0] };
    for (const [method, params] of [
      ['inspect.samples', { dataset: { kind: 'digits' } }],
      [
        'inspect.activations',
        { source: { kind: 'run', runId: 'run-1' }, node: 'conv1', image: px },
      ],
      ['inspect.filters', { source: { kind: 'graph', graph: lenet } }],
      ['inspect.mistakes', { runId: 'run-1', trueClass: 4, predictedClass: 9 }],
    ] as const) {
      const reply = await dispatchEngineRequest(handlers, { method, params });
      expect(reply, method).toMatchObject({ ok: true });
    }
    expect(calls[0]).toEqual({ dataset: { kind: 'digits' }, count: 10 });
    expect(calls[1]).toMatchObject({ source: { kind: 'run', runId: 'run-1', checkpoint: 'best' } });
    expect(calls[2]).toMatchObject({ source: { kind: 'graph', seed: 42 }, node: null });
    expect(calls[3]).toEqual({
      runId: 'run-1',
      trueClass: 4,
      predictedClass: 9,
      limit: 48,
      offset: 0,
    });
  });

  it.each([
    [
      'a path as run id',
      'inspect.mistakes',
      { runId: '../../etc', trueClass: 0, predictedClass: 1 },
      /inspect\.mistakes: params\.runId: a run id/,
    ],
    [
      'a negative class',
      'inspect.mistakes',
      { runId: 'run-1', trueClass: -1, predictedClass: 1 },
      /params\.trueClass/,
    ],
    [
      'too many samples',
      'inspect.samples',
      { dataset: { kind: 'digits' }, count: 1000 },
      /params\.count/,
    ],
    [
      'pixels that do not fill the image',
      'inspect.activations',
      {
        source: { kind: 'run', runId: 'run-1' },
        node: 'conv1',
        image: { width: 2, height: 2, channels: 1, data: [1, 2, 3] },
      },
      /params\.image\.data: data must hold width·height·channels values/,
    ],
    [
      'a broken graph',
      'inspect.filters',
      { source: { kind: 'graph', graph: { nodes: 3 } } },
      /params\.source\.graph/,
    ],
    [
      'an unknown source kind',
      'inspect.filters',
      { source: { kind: 'folder', path: '/tmp' } },
      /params\.source/,
    ],
    [
      'an unknown field',
      'inspect.samples',
      { dataset: { kind: 'digits' }, path: '/etc' },
      /Unrecognized key/,
    ],
  ])('refuses %s with a message naming the field', async (_what, method, params, message) => {
    const { handlers, calls } = setup();
    const reply = await dispatchEngineRequest(handlers, { method, params });
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.error).toMatch(message);
    expect(calls).toHaveLength(0);
  });

  it('an engine failure comes back as the method and its message', async () => {
    const handlers = webHandlers({
      version: '0',
      templates: new TemplateStore('/nonexistent'),
      training: async () => undefined,
      trainingAvailable: () => false,
      runsDir: '/runs',
      inspect: async () => ({
        ...recordingInspect().api,
        mistakes: () => Promise.reject(new Error('The run has no validation predictions yet')),
      }),
    });
    const reply = await dispatchEngineRequest(handlers, {
      method: 'inspect.mistakes',
      params: { runId: 'run-1', trueClass: 0, predictedClass: 1 },
    });
    expect(reply).toEqual({
      ok: false,
      error: 'inspect.mistakes: The run has no validation predictions yet',
    });
  });
});

describe('the client', () => {
  it('sends each inspect method by name and validates the answers', async () => {
    const { handlers } = setup();
    const sent: string[] = [];
    const client = createEngineClient({
      call: async (method, params) => {
        sent.push(method);
        const reply = await dispatchEngineRequest(handlers, { method, params });
        if (!reply.ok) throw new Error(reply.error);
        return reply.result;
      },
      onEvent: () => () => {},
    });
    const samples = await client.inspect.samples({ dataset: { kind: 'digits' } });
    expect(samples.samples[0]?.image.pixels).toBe('AP8=');
    await client.inspect.filters({ source: { kind: 'run', runId: 'run-1' } });
    await client.inspect.mistakes({ runId: 'run-1', trueClass: 0, predictedClass: 1 });
    expect(sent).toEqual(['inspect.samples', 'inspect.filters', 'inspect.mistakes']);
  });

  it('refuses an answer that is not base64', async () => {
    const client = createEngineClient({
      call: async () => ({
        node: 'conv1',
        convNodes: [],
        initial: { ...tensor, data: 'not base64!' },
        trained: null,
        trainedEpoch: null,
      }),
      onEvent: () => () => {},
    });
    await expect(client.inspect.filters({ source: { kind: 'run', runId: 'r' } })).rejects.toThrow(
      /inspect\.filters: unexpected answer \(result\.initial\.data/,
    );
  });

  it('every inspect method is in the table', () => {
    expect(Object.keys(ENGINE_METHODS).filter((m) => m.startsWith('inspect.'))).toEqual([
      'inspect.samples',
      'inspect.activations',
      'inspect.filters',
      'inspect.mistakes',
    ]);
  });
});
