import '@xyflow/react/dist/style.css';
import './styles/app.css';
import './styles/nodes.css';
import './styles/compare.css';
import './styles/seeInside.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { readGraphDocument } from '../src/core/graph/parseGraph';
import type { GraphDocument } from '../src/core/graph/document';
import { getEngine } from './api/engine';
import { sessionToken } from './api/sessionToken';
import { App } from './App';
import { NoTokenPage } from './components/NoTokenPage';
import { startAutosave } from './files/autosave';
import { startHistory } from './history/historyStore';
import { editorStore } from './store/useEditor';

declare global {
  interface Window {
    /** Stable test hooks (both hosts): read and replace the current graph document. */
    nnb: {
      getGraph(): GraphDocument;
      loadGraph(doc: unknown): void;
    };
  }
}

window.nnb = {
  getGraph: () => editorStore.getState().doc,
  loadGraph(doc) {
    const outcome = readGraphDocument(doc);
    if (!outcome.ok) throw new Error(`loadGraph: ${outcome.error}`);
    editorStore
      .getState()
      .load(outcome.graph, { name: outcome.graph.name ?? 'Untitled', path: null });
  },
};

startAutosave(editorStore);
// After the restore: the restored document is the history's latest version, not a new one.
startHistory();

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
const app = createRoot(root);
const render = (hostLabel: string) =>
  app.render(
    <StrictMode>
      <App hostLabel={hostLabel} />
    </StrictMode>,
  );
// Web mode: the server answers only pages opened from the address it printed (with ?token=).
if (window.nnbHost === undefined && sessionToken() === undefined) {
  app.render(
    <StrictMode>
      <NoTokenPage />
    </StrictMode>,
  );
} else {
  render(window.nnbHost ? 'desktop' : 'web');
  getEngine()
    .info()
    .then(
      (info) => render(`${info.host === 'electron' ? 'desktop' : 'web mode'} · v${info.version}`),
      () => render('web mode · server unreachable (restarted? open its new address)'),
    );
}
