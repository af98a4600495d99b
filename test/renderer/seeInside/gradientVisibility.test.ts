import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../../src/core/graph/document';
import { gradientStore } from '../../../renderer/flow/gradientStore';
import { editorStore } from '../../../renderer/store/useEditor';
import { trainingStore } from '../../../renderer/training/trainingStore';

const template = (name: string) =>
  JSON.parse(readFileSync(`templates/${name}.nnb.json`, 'utf8')) as GraphDocument;

describe('gradient sparklines describe the graph that was trained, not whatever is open', () => {
  it('shows them on the trained graph, hides them on another file or after an edit', () => {
    const lenet = template('lenet-5');
    expect(gradientStore.getState().visible).toBe(false);
    editorStore.getState().load(lenet, { name: 'lenet-5.nnb.json', path: null });
    // What train.start sent: the editor's document at that moment.
    trainingStore.setState({ runGraph: editorStore.getState().doc });
    expect(gradientStore.getState().visible).toBe(true);

    // Moving a node changes no weights: still the trained network.
    const moved = editorStore.getState().doc;
    editorStore.setState({
      doc: { ...moved, nodes: moved.nodes.map((n) => ({ ...n, ui: { x: 1, y: 2 } })) },
    });
    expect(gradientStore.getState().visible).toBe(true);

    // Another template (AlexNet also has conv1/conv2): hidden.
    editorStore.getState().load(template('alexnet'), { name: 'alexnet.nnb.json', path: null });
    expect(gradientStore.getState().visible).toBe(false);

    // Back to the trained graph, then a parameter edit: hidden again.
    editorStore.getState().load(lenet, { name: 'lenet-5.nnb.json', path: null });
    expect(gradientStore.getState().visible).toBe(true);
    const doc = editorStore.getState().doc;
    editorStore.setState({
      doc: {
        ...doc,
        nodes: doc.nodes.map((n) =>
          n.id === 'conv1' ? { ...n, params: { ...n.params, out_channels: 8 } } : n,
        ),
      },
    });
    expect(gradientStore.getState().visible).toBe(false);
  });
});
