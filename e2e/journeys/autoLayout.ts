import { expect, type Page } from '@playwright/test';
import type { GraphDocument } from '../../src/core/graph/document';
import { nodePosition } from '../../src/core/graph/edits';
import { residualChain } from '../../test/renderer/residualChain';
import { connect, dragLayer, openTemplate, screenshot, setParams } from './helpers';

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Every node's box on screen, by id, once the viewport has stopped moving. */
async function settledBoxes(page: Page): Promise<Map<string, Box>> {
  const read = () =>
    page.locator('.react-flow__node').evaluateAll((els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        return [
          el.getAttribute('data-id') ?? '',
          { x: r.x, y: r.y, width: r.width, height: r.height },
        ] as const;
      }),
    );
  let last = JSON.stringify(await read());
  await expect(async () => {
    await page.waitForTimeout(150);
    const now = JSON.stringify(await read());
    const same = now === last;
    last = now;
    expect(same).toBe(true);
  }).toPass({ timeout: 10_000 });
  return new Map(await read());
}

function overlapping(boxes: ReadonlyMap<string, Box>): string[] {
  const list = [...boxes];
  const found: string[] = [];
  list.forEach(([a, p], i) => {
    for (const [b, q] of list.slice(i + 1))
      if (
        p.x < q.x + q.width &&
        q.x < p.x + p.width &&
        p.y < q.y + q.height &&
        q.y < p.y + p.height
      )
        found.push(`${a} × ${b}`);
  });
  return found;
}

/** Edges whose target does not start below its source's bottom: data must flow down. */
function upstream(graph: GraphDocument, boxes: ReadonlyMap<string, Box>): string[] {
  return graph.edges
    .filter((e) => {
      const [s, t] = [boxes.get(e.source), boxes.get(e.target)];
      return !s || !t || t.y <= s.y + s.height;
    })
    .map((e) => `${e.source} → ${e.target}`);
}

const centre = (b: Box | undefined) => (b ? b.x + b.width / 2 : NaN);
const graphOf = (page: Page) => page.evaluate(() => window.nnb.getGraph());
const lastNode = async (page: Page) => (await graphOf(page)).nodes.at(-1)?.id ?? '';

/**
 * Journey 7: ResNet-18 opens laid out (one column, in data-flow order); a projection shortcut
 * built by hand around its stem — a 1×1 conv joined to the main path by Add — is laid out by
 * Layout beside the main path, without overlaps; one undo brings back the hand-made positions.
 */
export async function layoutResNet(page: Page): Promise<void> {
  await openTemplate(page, 'resnet-18');
  await expect(page.locator('.react-flow__node')).toHaveCount(16);
  let graph = await graphOf(page);
  let boxes = await settledBoxes(page);
  expect(overlapping(boxes)).toEqual([]);
  expect(upstream(graph, boxes)).toEqual([]);
  expect(new Set([...boxes.values()].map((b) => Math.round(centre(b)))).size).toBe(1);

  // Build a projection shortcut by hand, dropped anywhere: conv1 → 1×1 conv, stride 2 → Add,
  // which also takes maxpool: the skip path runs beside bn1 → relu → maxpool.
  const canvas = (await page.getByTestId('canvas').boundingBox()) as Box;
  const at = (id: string) => boxes.get(id) as Box;
  const right = at('maxpool').x + at('maxpool').width - canvas.x + 60;
  await dragLayer(page, 'Conv2d', right, at('bn1').y - canvas.y + 20);
  const proj = await lastNode(page);
  await dragLayer(page, 'Add', right + 40, at('maxpool').y - canvas.y + 20);
  const add = await lastNode(page);
  await connect(page, 'maxpool', add);
  await connect(page, 'conv1', proj);
  await connect(page, proj, add);
  await setParams(page, proj, { out_channels: '64', kernel_size: '1', stride: '2' });
  await expect(page.getByTestId(`node-shape-${add}`)).toHaveText('64×56×56');
  // …and shuffle the main path a little.
  const grab = at('bn1');
  await page.mouse.move(grab.x + 20, grab.y + 10);
  await page.mouse.down();
  await page.mouse.move(grab.x - 120, grab.y + 30, { steps: 6 });
  await page.mouse.up();
  const shuffled = (await graphOf(page)).nodes.map((n) => [n.id, nodePosition(n)]);

  await page.getByTestId('auto-layout').click();
  await expect(page.getByTestId('auto-layout')).toHaveAttribute('aria-busy', 'false');
  graph = await graphOf(page);
  boxes = await settledBoxes(page);
  await screenshot(page, '7-layout-resnet-18');
  expect(overlapping(boxes)).toEqual([]);
  expect(upstream(graph, boxes)).toEqual([]);
  // The main path runs straight down; the skip path sits beside it, in the same rows.
  const main = ['conv1', 'bn1', 'relu', 'maxpool'].map((id) => centre(at(id)));
  expect(Math.max(...main) - Math.min(...main)).toBeLessThan(1);
  const p = at(proj);
  expect(p.y).toBeGreaterThan(at('conv1').y + at('conv1').height);
  expect(p.y).toBeLessThan(at('maxpool').y + at('maxpool').height);
  expect(Math.abs(centre(p) - (main[0] ?? NaN))).toBeGreaterThanOrEqual(p.width);
  expect(at(add).y).toBeGreaterThan(at('maxpool').y + at('maxpool').height);

  // One undo step: the hand-made positions come back.
  await page.keyboard.press('Control+z');
  await expect
    .poll(async () => (await graphOf(page)).nodes.map((n) => [n.id, nodePosition(n)]))
    .toEqual(shuffled);
}

/** What the page did while ELK worked: read from the 'nnb-layout' User Timing entry. */
interface LayoutTiming {
  /** The layout itself, call to answer, and the part of it on the page's thread (ms). */
  readonly layoutMs: number;
  readonly postMs: number;
  /** The task that started the layout (the open or the click, e.g. parsing the file) (ms). */
  readonly startingTaskMs: number | null;
  /** Frames the page drew meanwhile, and the longest wait between two of them (ms). */
  readonly frames: number;
  readonly maxFrameGapMs: number;
  /** Long tasks (> 50 ms) of the page meanwhile, and from the answer on (rendering it). */
  readonly longTasksDuring: readonly number[];
  readonly longTasksAfter: readonly number[];
}

/** Runs `action` in the page and times the next layout against the page's frames and long tasks. */
function timeLayout(page: Page, action: 'open' | 'press', json: string): Promise<LayoutTiming> {
  return page.evaluate(
    async ([action, json]) => {
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      const tasks: { start: number; end: number }[] = [];
      const observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries())
          tasks.push({ start: e.startTime, end: e.startTime + e.duration });
      });
      observer.observe({ type: 'longtask' });
      const frames: number[] = [];
      let drawing = true;
      const tick = (t: number) => {
        frames.push(t);
        if (drawing) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      performance.clearMeasures('nnb-layout');
      performance.clearMeasures('nnb-layout-post');
      if (action === 'open') window.nnb.loadGraph(JSON.parse(json));
      else (document.querySelector('[data-testid="auto-layout"]') as HTMLElement).click();
      while (performance.getEntriesByName('nnb-layout').length === 0) await sleep(5);
      await sleep(1500);
      drawing = false;
      observer.disconnect();
      const m = performance.getEntriesByName('nnb-layout')[0] as PerformanceEntry;
      const post = performance.getEntriesByName('nnb-layout-post')[0] as PerformanceEntry;
      const [a, b] = [m.startTime, m.startTime + m.duration];
      // Frames drawn while ELK worked, and the longest wait between two of them.
      const inside = frames.filter((t) => t >= a && t <= b);
      const gaps = inside.slice(1).map((t, i) => t - (inside[i] as number));
      const ms = (t: { start: number; end: number }) => Math.round(t.end - t.start);
      return {
        layoutMs: Math.round(m.duration),
        postMs: Math.round(post.duration),
        startingTaskMs: tasks.filter((t) => t.start < a && t.end > a).map(ms)[0] ?? null,
        frames: inside.length,
        maxFrameGapMs: Math.round(Math.max(0, ...gaps)),
        // The task that receives the answer ends after the layout: it renders the result.
        longTasksDuring: tasks.filter((t) => t.start >= a && t.end <= b).map(ms),
        longTasksAfter: tasks.filter((t) => t.end > b).map(ms),
      };
    },
    [action, json] as const,
  );
}

/**
 * Journey 8: a 500-node residual network opened without positions is laid out in the worker
 * while the page keeps drawing frames; then Layout is pressed on it. Prints the timings
 * (docs/performance.md).
 */
export async function layoutLargeGraph(page: Page): Promise<void> {
  const doc = residualChain(67);
  expect(doc.nodes.length).toBeGreaterThanOrEqual(500);
  const open = await timeLayout(page, 'open', JSON.stringify(doc));
  console.log(`500-node open, laid out in the worker: ${JSON.stringify(open)}`);
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  const graph = await graphOf(page);
  expect(graph.nodes).toHaveLength(doc.nodes.length);
  // Laid out by ELK, not stacked: a downsampling block's skip path sits beside its main path.
  const x = (id: string) =>
    nodePosition(graph.nodes.find((n) => n.id === id) ?? graph.nodes[0]!)?.x;
  expect(x('b4_down')).not.toBe(x('b4_conv1'));
  // While ELK worked the page kept drawing: no long task, frames all along.
  // (Frame gaps, unlike long tasks, also grow when the machine is busy: a loose bound.)
  expect(open.longTasksDuring).toEqual([]);
  expect(open.maxFrameGapMs).toBeLessThan(open.layoutMs / 4);
  expect(open.postMs).toBeLessThan(open.layoutMs / 4);

  const press = await timeLayout(page, 'press', '');
  console.log(`500-node Layout press: ${JSON.stringify(press)}`);
  expect(press.longTasksDuring).toEqual([]);
  expect(press.maxFrameGapMs).toBeLessThan(press.layoutMs / 4);
  await expect(page.getByTestId('auto-layout')).toHaveAttribute('aria-busy', 'false');
  await screenshot(page, '8-layout-500-nodes');
}
