import { useReactFlow } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { CATEGORIES } from '../../src/core/layers/LayerDefinition';
import { NODE_DEFINITIONS } from '../../src/core/layers/registry';
import { paletteDragStore } from '../store/paletteDragStore';
import { editorStore } from '../store/useEditor';
import { LAYER_MIME } from './Canvas';
import { categoryClass } from './categoryClass';

/** The layer catalog by category, searchable; drag an item onto the canvas (or double-click it). */
export function Palette() {
  const [query, setQuery] = useState('');
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

  const addAtCentre = (type: string) => {
    const canvas = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const at = canvas
      ? flow.screenToFlowPosition({
          x: canvas.x + canvas.width / 2,
          y: canvas.y + canvas.height / 2,
        })
      : { x: 0, y: 0 };
    editorStore.getState().addNode(type, { x: at.x - 105, y: at.y - 30 });
  };

  return (
    <aside className="palette" aria-label="Layers">
      <div className="panel-title">Layers</div>
      <input
        className="palette__search"
        type="search"
        placeholder="Search layers…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        aria-label="Search layers"
        data-testid="palette-search"
      />
      <div className="palette__groups">
        {groups.map((g) => (
          <section key={g.category} className="palette__group">
            <h3>{g.category}</h3>
            {g.items.map((d) => (
              <div
                key={d.type}
                className={`palette__item ${categoryClass(d.category)}`}
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
