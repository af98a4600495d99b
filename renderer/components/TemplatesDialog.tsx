import { useEffect, useState } from 'react';
import type { TemplateIndex } from '../../src/api/EngineApi';
import { getEngine } from '../api/engine';
import { openLesson } from '../compare/compareFiles';
import { openTemplate } from '../files/fileActions';
import { uiStore, useUi } from '../store/uiStore';
import { modalFocus } from './modalFocus';

const ORDER = ['beginner', 'instructor', 'practitioner'];

/** The gallery of ready-made networks from templates/index.json, by category. */
export function TemplatesDialog() {
  const open = useUi((s) => s.templatesOpen);
  const [index, setIndex] = useState<TemplateIndex | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    if (!open || index) return;
    getEngine()
      .templates.list()
      .then(setIndex, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [open, index]);
  if (!open) return null;
  const close = () => uiStore.getState().set({ templatesOpen: false });
  const categories = [...new Set(index?.templates.map((t) => t.category) ?? [])].sort(
    (a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99),
  );
  return (
    <div className="modal-backdrop" onMouseDown={close}>
      <div
        className="modal templates"
        role="dialog"
        aria-modal="true"
        aria-label="Templates"
        tabIndex={-1}
        ref={modalFocus}
        onMouseDown={(e) => e.stopPropagation()}
      >
        <div className="modal__head">
          <h2>Templates</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={close}>
            ✕
          </button>
        </div>
        {error && <p className="field__error">Cannot load the templates: {error}</p>}
        {!index && !error && <p className="muted">Loading…</p>}
        {categories.map((c) => (
          <section key={c}>
            <h3>{c}</h3>
            <div className="templates__grid">
              {index?.templates
                .filter((t) => t.category === c)
                .map((t) => (
                  <button
                    key={t.file}
                    type="button"
                    className="template-card"
                    data-testid={`template-${t.file.replace(/\.nnb\.json$/, '')}`}
                    onClick={() => {
                      close();
                      void openTemplate(t.file);
                    }}
                  >
                    <strong>{t.title}</strong>
                    <span>{t.description}</span>
                  </button>
                ))}
            </div>
          </section>
        ))}
        {index && index.lessons.length > 0 && (
          <section>
            <h3>Lessons · open side by side in the compare view</h3>
            <div className="templates__grid">
              {index.lessons.map((t) => (
                <button
                  key={t.file}
                  type="button"
                  className="template-card template-card--lesson"
                  data-testid={`template-${t.file.replace(/\.nnb-compare\.json$/, '')}`}
                  onClick={() => {
                    close();
                    void openLesson(t.file);
                  }}
                >
                  <strong>{t.title}</strong>
                  <span>{t.description}</span>
                </button>
              ))}
            </div>
          </section>
        )}
      </div>
    </div>
  );
}
