// `npm run bench:app` — the app's performance targets (issue 4), measured in Chromium:
//  1. on a ~500-node graph, one parameter edit → every annotation updated and painted:
//     median < 16 ms from the input event to the frame that shows the new badges;
//  2. web mode interactive < 2 s after launch (server start → palette usable).
// A benchmark, not a timed test: it prints numbers and whether they meet the targets.
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import type { GraphDocument } from '../../src/core/graph/document.js';

const CHROMIUM = process.env.NNB_CHROMIUM ?? '/usr/bin/chromium';
const PORT = 5196;
const EDITS = Number(process.env.NNB_BENCH_EDITS ?? 40);

/** Input, then 250 × (Conv2d 3×3 'same' + ReLU): 501 nodes whose shapes all follow the input's. */
function bigGraph(): GraphDocument {
  const nodes: GraphDocument['nodes'][number][] = [
    { id: 'input', type: 'Input', params: { shape: [3, 32, 32] } },
  ];
  const edges: { source: string; target: string }[] = [];
  let last = 'input';
  for (let i = 1; i <= 250; i++) {
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] ?? NaN;

async function main(): Promise<void> {
  const t0 = performance.now();
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/server/main.ts', '--port', String(PORT)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  // The printed address carries the server's token; the page needs it.
  const appUrl = await new Promise<string>((resolve, reject) => {
    server.stdout.on('data', (d: Buffer) => {
      const url = /running at (\S+)/.exec(d.toString())?.[1];
      if (url) resolve(url);
    });
    server.on('exit', (code) =>
      reject(new Error(`the server exited (${code}); run npm run build:renderer first`)),
    );
  });
  const serverReady = performance.now() - t0;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const t1 = performance.now();
    await page.goto(appUrl);
    await page.getByTestId('palette-item-Conv2d').waitFor();
    const pageReady = performance.now() - t1;
    // The user's browser is already running: launch = server start + page load to usable.
    const interactive = serverReady + pageReady;

    await page.evaluate(
      (text) => window.nnb.loadGraph(JSON.parse(text)),
      JSON.stringify(bigGraph()),
    );
    await page.getByTestId('node-input').locator('.layer-node__head').click();
    const field = page.getByTestId('param-shape');
    await field.waitFor();
    const times: number[] = [];
    const updates: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      const size = 32 + ((i % 2) + 1) * 2;
      const [painted, updated] = await page.evaluate(async (text) => {
        const input = document.querySelector<HTMLInputElement>('[data-testid="param-shape"]');
        if (!input) throw new Error('no shape field');
        const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
        const start = performance.now();
        setValue?.call(input, text);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        // React handles the input synchronously: analysis, render and DOM commit are done here.
        const committed = performance.now();
        // rAF runs before the next paint; a task queued from it runs after that paint.
        await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        const end = performance.now();
        const want = text.split(', ').slice(1).join('×');
        const badge = document.querySelector('[data-testid="node-shape-relu1"]')?.textContent;
        if (badge !== `16×${want}`) throw new Error(`badge shows ${badge}, expected 16×${want}`);
        return [end - start, committed - start];
      }, `3, ${size}, ${size}`);
      times.push(painted);
      updates.push(updated);
    }
    const analysisMs = await page.evaluate(() => {
      const t = performance.now();
      for (let i = 0; i < 20; i++) window.nnb.loadGraph(window.nnb.getGraph());
      return (performance.now() - t) / 20;
    });
    const m = median(times);
    console.log(
      `NN Builder app benchmark (Chromium ${browser.version()}, ${EDITS} edits of a 501-node graph, ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)})`,
    );
    console.log(
      `  edit → painted badges: median ${m.toFixed(1)} ms, p90 ${p90(times).toFixed(1)} ms  (target < 16 ms: ${m < 16 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `  of which analysis + React render + DOM commit: median ${median(updates).toFixed(1)} ms (the rest is waiting for the next frame and painting it)`,
    );
    console.log(`  (open of the same graph incl. layout + analysis: ${analysisMs.toFixed(1)} ms)`);
    console.log(
      `  launch → interactive: ${interactive.toFixed(0)} ms (server ${serverReady.toFixed(0)} ms + page ${pageReady.toFixed(0)} ms; starting Chromium itself not counted)  (target < 2000 ms: ${interactive < 2000 ? 'met' : 'NOT met'})`,
    );
  } finally {
    await browser.close();
    server.kill();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:app: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
