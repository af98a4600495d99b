import { beforeEach, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../src/core/graph/document';
import { createEditorStore } from '../../renderer/store/editorStore';
import {
  copyNodes,
  pasteNodes,
  type ClipboardContext,
  type ClipboardLike,
} from '../../renderer/clipboard/systemClipboard';
import lenet from '../../templates/lenet-5.nnb.json';

const LENET = lenet as unknown as GraphDocument;

/** A clipboard event as the browser hands it over: one shared text/plain slot. */
function event(clip: Map<string, string>, target: EventTarget | null = null) {
  const e = {
    target,
    prevented: false,
    clipboardData: {
      getData: (type: string) => clip.get(type) ?? '',
      setData: (type: string, value: string) => void clip.set(type, value),
    },
    preventDefault: () => void (e.prevented = true),
  };
  return e satisfies ClipboardLike;
}

let store = createEditorStore();
let ctx: ClipboardContext;
let shown = true;
beforeEach(() => {
  store = createEditorStore();
  store.getState().load(LENET, { name: 'lenet-5.nnb.json', path: null });
  shown = true;
  ctx = { editor: store, editorShown: () => shown, textSelected: () => false };
});

describe('nodes through the system clipboard', () => {
  it('copies the selection as fragment JSON and pastes it back as new nodes', () => {
    const clip = new Map<string, string>();
    store.getState().select(['conv2', 'relu2']);
    const copy = event(clip);
    expect(copyNodes(copy, ctx)).toBe(true);
    expect(copy.prevented).toBe(true);
    expect(JSON.parse(clip.get('text/plain')!)).toMatchObject({
      format: 'nnb-fragment',
      version: 1,
      nodes: [{ id: 'conv2' }, { id: 'relu2' }],
      edges: [{ source: 'conv2', target: 'relu2' }],
    });
    const before = store.getState().doc.nodes.length;
    expect(pasteNodes(event(clip), ctx)).toBe(true);
    expect(store.getState().doc.nodes.length).toBe(before + 2);
    expect(store.getState().selection).toEqual(['conv3', 'relu5']);
  });

  it('cut removes the copied nodes', () => {
    const clip = new Map<string, string>();
    store.getState().select(['fc3']);
    expect(copyNodes(event(clip), ctx, true)).toBe(true);
    expect(store.getState().doc.nodes.some((n) => n.id === 'fc3')).toBe(false);
    pasteNodes(event(clip), ctx);
    expect(store.getState().doc.nodes.some((n) => n.id === 'fc3')).toBe(true);
  });

  it('refuses other text with a notice and changes nothing', () => {
    const doc = store.getState().doc;
    const paste = event(new Map([['text/plain', 'hello world']]));
    expect(pasteNodes(paste, ctx)).toBe(true);
    expect(store.getState().doc).toBe(doc);
    expect(store.getState().notice?.kind).toBe('error');
    expect(store.getState().notice?.text).toContain(
      'holds text, not NN Builder nodes ("hello world")',
    );
  });

  it('leaves fields, selected text, an empty selection and the compare view to the browser', () => {
    const clip = new Map<string, string>();
    const field = { tagName: 'TEXTAREA' } as unknown as EventTarget;
    store.getState().select(['conv1']);
    expect(copyNodes(event(clip, field), ctx)).toBe(false);
    expect(pasteNodes(event(clip, field), ctx)).toBe(false);
    expect(copyNodes(event(clip), { ...ctx, textSelected: () => true })).toBe(false);
    shown = false;
    expect(copyNodes(event(clip), ctx)).toBe(false);
    shown = true;
    store.getState().select([]);
    expect(copyNodes(event(clip), ctx)).toBe(false);
    expect(clip.size).toBe(0);
  });
});
