import { beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphDocument } from '../../../src/core/graph/document';
import { editorStore } from '../../../renderer/store/useEditor';
import { blockOf, blockViewStore } from '../../../renderer/blocks/blockViewStore';

const RESNET = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '..', '..', '..', 'templates', 'resnet-18.nnb.json'),
    'utf8',
  ),
) as GraphDocument;

beforeEach(async () => {
  await editorStore.getState().load(RESNET, { name: 'resnet-18.nnb.json', path: null });
  blockViewStore.setState({ expanded: new Set(), focused: null });
});

describe('blocks opened in place', () => {
  it('names the block of an inner id', () => {
    expect(blockOf('layer1_0/conv2')).toBe('layer1_0');
    expect(blockOf('conv1')).toBe('conv1');
  });

  it('opens and folds a block', () => {
    blockViewStore.getState().toggle('layer1_0');
    expect([...blockViewStore.getState().expanded]).toEqual(['layer1_0']);
    blockViewStore.getState().toggle('layer1_0');
    expect(blockViewStore.getState().expanded.size).toBe(0);
  });

  it('focusing an inner layer selects its block; another selection lets go of it', () => {
    blockViewStore.getState().focus('layer2_0/conv1');
    expect(editorStore.getState().selection).toEqual(['layer2_0']);
    expect(blockViewStore.getState().focused).toBe('layer2_0/conv1');
    // The inner layer is in the analysis the Inspector reads: its own receptive field.
    expect(editorStore.getState().analysis.nodes.get('layer2_0/conv1')?.parent).toBe('layer2_0');
    // Re-selecting the same block keeps it; any other selection ends it.
    editorStore.getState().select(['layer2_0']);
    expect(blockViewStore.getState().focused).toBe('layer2_0/conv1');
    editorStore.getState().select(['maxpool']);
    expect(blockViewStore.getState().focused).toBeNull();
    blockViewStore.getState().focus('layer1_0/conv2');
    editorStore.getState().select([]);
    expect(blockViewStore.getState().focused).toBeNull();
  });
});
