import { useReactFlow } from '@xyflow/react';
import { useMemo, useState, type KeyboardEvent } from 'react';
import { CATEGORIES } from '../../src/core/layers/LayerDefinition';
import { NODE_DEFINITIONS } from '../../src/core/layers/registry';
import { paletteDragStore } from '../store/paletteDragStore';
import { editorStore } from '../store/useEditor';
import { LAYER_MIME } from './Canvas';
import { categoryClass } from './categoryClass';

/**
 * The layer catalog by category, searchable; drag an item onto the canvas (or double-click it).
 * From the keyboard: type in the search, ↑/↓ pick a match, Enter adds it after the selected node.
 */
export function Palette() {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const flow = useReactFlow();
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    return CATEGORIES.map((category) => ({
      category,
      items: NODE_DEFINITIONS.filter(
        (d) =>
          d.category === category &&
          (q === '' ||
            d.type.toLowerCase().includes(q) ||
            d.summary.toLowerCase().includes(q) ||
            category.toLowerCase().includes(q)),
      ),
    })).filter((g) => g.items.length > 0);
  }, [query]);

  const matches = groups.flatMap((g) => g.items);
  const current = matches[Math.min(active, matches.length - 1)];

  const centre = () => {
    const canvas = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const at = canvas
      ? flow.screenToFlowPosition({
          x: canvas.x + canvas.width / 2,
          y: canvas.y + canvas.height / 2,
        })
      : { x: 0, y: 0 };
    return { x: at.x - 105, y: at.y - 30 };
  };
  const addAtCentre = (type: string) => editorStore.getState().addNode(type, centre());

  // Enter: the layer goes after the selected node, wired to it, and the view follows it.
  const addFromKeyboard = (type: string) => {
    const store = editorStore.getState();
    const id = store.addAfterSelection(type, centre());
    const ui = editorStore.getState().doc.nodes.find((n) => n.id === id)?.ui as
      { x: number; y: number } | undefined;
    if (ui) void flow.setCenter(ui.x + 105, ui.y + 37, { zoom: flow.getZoom(), duration: 150 });
    setQuery('');
    setActive(0);
  };

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    if (step !== 0 && matches.length > 0) {
      setActive((Math.min(active, matches.length - 1) + step + matches.length) % matches.length);
    } else if (e.key === 'Enter' && current) {
      addFromKeyboard(current.type);
    } else if (e.key === 'Escape' && query !== '') {
      setQuery('');
      setActive(0);
    } else if (e.key === 'Escape') {
      // Back to the canvas, where the arrow keys walk the selection.
      e.currentTarget.blur();
    } else return;
    // Handled here: the window's shortcuts (Escape clears the selection) stay out of it.
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <aside className="palette" aria-label="Layers">
      <div className="panel-title">Layers</div>
      <input
        className="palette__search"
        type="search"
        placeholder="Search layers…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onSearchKey}
        aria-label="Search layers (↑↓ to pick, Enter adds after the selected node)"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-options"
        aria-autocomplete="list"
        aria-activedescendant={current ? `palette-option-${current.type}` : undefined}
        data-testid="palette-search"
      />
      <div className="palette__groups" role="listbox" id="palette-options" aria-label="Layers">
        {groups.map((g) => (
          <section
            key={g.category}
            className="palette__group"
            role="group"
            aria-labelledby={`palette-group-${categoryClass(g.category)}`}
          >
            <h3 id={`palette-group-${categoryClass(g.category)}`} role="presentation">
              {g.category}
            </h3>
            {g.items.map((d) => (
              <div
                key={d.type}
                id={`palette-option-${d.type}`}
                role="option"
                aria-selected={d === current}
                className={`palette__item ${categoryClass(d.category)}${d === current ? ' is-active' : ''}`}
                data-testid={`palette-item-${d.type}`}
                draggable
                title={`${d.summary}\nDrag onto the canvas, or double-click to add.`}
                onDragStart={(e) => {
                  e.dataTransfer.setData(LAYER_MIME, d.type);
                  e.dataTransfer.effectAllowed = 'copy';
                  paletteDragStore.getState().set({ type: d.type });
                }}
                onDragEnd={() => paletteDragStore.getState().set({ type: null, edge: null })}
                onDoubleClick={() => addAtCentre(d.type)}
              >
                <span className="palette__swatch" />
                <span className="palette__name">{d.type}</span>
                {d.kind === 'block' && <span className="palette__tag">block</span>}
              </div>
            ))}
          </section>
        ))}
        {groups.length === 0 && <p className="muted palette__none">No layer matches “{query}”.</p>}
      </div>
    </aside>
  );
}
