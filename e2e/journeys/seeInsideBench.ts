// Gradient sparklines under load: `npx tsx e2e/journeys/seeInsideBench.ts <built renderer dir>`.
// Serves a production build of the renderer, answers its engine socket with a mock that streams
// batch events carrying gradient norms for all 250 Conv2d nodes of a 501-node graph — 50 events
// a second, 5× more norm samples than a fast real run sends — and measures, in Chromium:
//  - the frame intervals while the events stream (readable zoom, then the whole graph in view);
//  - edit → painted badges (an Input-shape edit re-shapes every node) while they stream.
// A benchmark, not a test: it prints numbers.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { chromium, type Page } from 'playwright-core';
import type { GraphDocument } from '../../src/core/graph/document.js';

const DIR = process.argv[2] ?? 'tmp/seeinside/dist';
const PORT = Number(process.env.NNB_BENCH_PORT ?? 5204);
const CONVS = Number(process.env.NNB_BENCH_CONVS ?? 250);
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

function bigGraph(): GraphDocument {
  const nodes: GraphDocument['nodes'][number][] = [
    { id: 'input', type: 'Input', params: { shape: [3, 32, 32] } },
  ];
  const edges: { source: string; target: string }[] = [];
  let last = 'input';
  for (let i = 1; i <= CONVS; i++) {
    nodes.push({
      id: `conv${i}`,
      type: 'Conv2d',
      params: { out_channels: 16, kernel_size: 3, padding: 1 },
    });
    nodes.push({ id: `relu${i}`, type: 'ReLU' });
    edges.push({ source: last, target: `conv${i}` }, { source: `conv${i}`, target: `relu${i}` });
    last = `relu${i}`;
  }
  return { format: 'nnb-graph', version: 1, name: 'bench-501', nodes, edges };
}

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? NaN;
const fmt = (n: number) => n.toFixed(1);

/** Answers the app's socket: train.start gets a run id, then batch events stream in. */
async function mockEngine(page: Page): Promise<void> {
  await page.routeWebSocket(/\/api$/, (ws) => {
    let timer: ReturnType<typeof setInterval> | undefined;
    ws.onMessage((text) => {
      const { id, method } = JSON.parse(String(text)) as { id: number; method: string };
      if (method === 'host.info') {
        const info = { host: 'web', version: 'bench', fileDialogs: false, training: true };
        ws.send(JSON.stringify({ id, ok: true, result: info }));
        return;
      }
      if (method !== 'train.start') {
        ws.send(JSON.stringify({ id, ok: false, error: 'mock engine: not supported' }));
        return;
      }
      ws.send(JSON.stringify({ id, ok: true, result: { runId: 'bench' } }));
      const event = (payload: object) =>
        ws.send(
          JSON.stringify({ channel: 'train.event', payload: { runId: 'bench', ...payload } }),
        );
      event({
        type: 'started',
        backend: 'wasm',
        dataset: {
          name: 'digits',
          classNames: ['0'],
          inputShape: [3, 32, 32],
          trainSize: 1,
          validationSize: 1,
          skipped: 0,
        },
        epochs: 1,
        firstEpoch: 1,
        batchesPerEpoch: 100_000,
        trainableParams: 1,
        runDir: 'runs/bench',
      });
      let batch = 0;
      timer = setInterval(() => {
        batch += 10;
        const gradientNorms: Record<string, number> = {};
        for (let i = 1; i <= CONVS; i++)
          gradientNorms[`conv${i}`] = Math.exp(-i / 40) * (1 + 0.3 * Math.sin(batch / 50 + i));
        event({
          type: 'batch',
          epoch: 1,
          batch,
          batches: 100_000,
          loss: 1,
          accuracy: 0.5,
          samplesPerSecond: 1000,
          etaSeconds: 100,
          lr: 0.001,
          gradientNorms,
        });
      }, 20);
    });
    ws.onClose(() => clearInterval(timer));
  });
}

/** Frame intervals over `ms` milliseconds, measured in the page. (A string: tsx would wrap named
 * functions in a helper the page does not have.) */
function frames(page: Page, ms: number): Promise<number[]> {
  return page.evaluate(`new Promise((resolve) => {
    const out = [];
    let last = performance.now();
    const end = last + ${ms};
    requestAnimationFrame(function tick(t) {
      out.push(t - last);
      last = t;
      if (t < end) requestAnimationFrame(tick);
      else resolve(out);
    });
  })`);
}

async function editTimes(page: Page, count: number): Promise<number[]> {
  await page.getByTestId('node-input').locator('.layer-node__head').click();
  await page.getByTestId('param-shape').waitFor();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const size = 32 + ((i % 2) + 1) * 2;
    times.push(
      await page.evaluate(async (text) => {
        const input = document.querySelector<HTMLInputElement>('[data-testid="param-shape"]');
        if (!input) throw new Error('no shape field');
        const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
        const start = performance.now();
        setValue?.call(input, text);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        return performance.now() - start;
      }, `3, ${size}, ${size}`),
    );
  }
  return times;
}

async function main(): Promise<void> {
  const root = normalize(DIR);
  const server = createServer((req, res) => {
    const path = normalize(
      join(root, (req.url ?? '/').split('?')[0] === '/' ? 'index.html' : (req.url ?? '')),
    );
    if (!path.startsWith(root)) return res.writeHead(403).end();
    try {
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      res.end(readFileSync(path));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(PORT, '127.0.0.1', r));
  const browser = await chromium.launch({
    executablePath: process.env.NNB_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await mockEngine(page);
    // Any token will do: the mocked engine does not check it, the page only needs one.
    await page.goto(`http://127.0.0.1:${PORT}/?token=bench-token-not-checked`);
    await page.getByTestId('palette-item-Conv2d').waitFor();
    await page.evaluate(
      (text) => window.nnb.loadGraph(JSON.parse(text)),
      JSON.stringify(bigGraph()),
    );
    const idle = await frames(page, 2000);
    const baseline = await editTimes(page, Number(process.env.NNB_BENCH_EDITS ?? 30));
    if (process.env.NNB_BENCH_EDITS_ONLY) {
      // For an A/B against a build without the sparklines and inspector sections.
      console.log(
        `edit → painted, no run (${2 * CONVS + 1} nodes): median ${fmt(quantile(baseline, 0.5))} ms, p90 ${fmt(quantile(baseline, 0.9))} ms, load average ${loadavg()[0]?.toFixed(1)}`,
      );
      return;
    }
    await page.getByTestId('train-start').click();
    await page.getByTestId('grad-spark-conv1').waitFor();
    const readable = await frames(page, 4000);
    const mounted = await page.locator('[data-testid^="grad-spark-"]').count();
    const edits = await editTimes(page, 30);
    // Zoomed out as far as the canvas goes: the most nodes (and sparklines) mounted at once.
    for (let i = 0; i < 12; i++) await page.locator('.react-flow__controls-zoomout').click();
    await page.waitForTimeout(1000);
    const all = await frames(page, 4000);
    const mountedAll = await page.locator('[data-testid^="grad-spark-"]').count();
    const row = (name: string, xs: number[]) =>
      console.log(
        `  ${name}: ${xs.length} frames, interval median ${fmt(quantile(xs, 0.5))} ms, p95 ${fmt(quantile(xs, 0.95))} ms, max ${fmt(Math.max(...xs))} ms`,
      );
    console.log(
      `Gradient sparklines under load (Chromium ${browser.version()}, ${2 * CONVS + 1}-node graph, ${CONVS} weighted nodes, 50 norm events/s, ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)})`,
    );
    row('idle, no run', idle);
    row(`streaming, readable zoom (${mounted} sparklines mounted)`, readable);
    row(`streaming, zoomed out (${mountedAll} sparklines mounted)`, all);
    console.log(
      `  edit → painted, no run: median ${fmt(quantile(baseline, 0.5))} ms, p90 ${fmt(quantile(baseline, 0.9))} ms`,
    );
    console.log(
      `  edit → painted while streaming: median ${fmt(quantile(edits, 0.5))} ms, p90 ${fmt(quantile(edits, 0.9))} ms (target < 16 ms)`,
    );
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((error: unknown) => {
  console.error(`seeInsideBench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
