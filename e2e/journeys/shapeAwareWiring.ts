import { expect, type Page } from '@playwright/test';
import { openTemplate, screenshot } from './helpers';

type Point = { x: number; y: number };

async function centre(page: Page, selector: string): Promise<Point> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not on screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

const handle = (id: string, kind: 'source' | 'target') =>
  `[data-testid="node-${id}"] .react-flow__handle.${kind}`;

/** The screen point halfway along the edge `source → target` (its drawn path). */
async function edgeMiddle(page: Page, source: string, target: string): Promise<Point> {
  const path = page.locator(
    `.react-flow__edge[data-id^="${source}->${target}#"] path.react-flow__edge-path`,
  );
  await expect(path).toHaveCount(1);
  return path.evaluate((el: SVGPathElement) => {
    const p = el.getPointAtLength(el.getTotalLength() / 2);
    const m = el.getScreenCTM();
    if (m === null) throw new Error('edge not laid out');
    return { x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f };
  });
}

const graphEdges = (page: Page) =>
  page.evaluate(() => window.nnb.getGraph().edges.map((e) => `${e.source}->${e.target}`));

/**
 * Shape-aware wiring (issue 15, item 1) on LeNet-5: while a wire is dragged from conv2's output,
 * every node says what a drop would do — the shape it would output, or why not (dimmed) with the
 * fix; dropping on fc1 offers Insert Flatten, which repairs it. Then a palette item dropped on
 * an edge is spliced into it and every shape below it is recomputed.
 */
export async function shapeAwareWiring(page: Page): Promise<void> {
  await openTemplate(page, 'lenet-5');
  // LeNet opens at a readable zoom, its top in view: bring conv2 … fc1 into view.
  await panCanvas(page, -320);
  const previews = page.locator('[data-testid^="connect-preview-"]');
  await expect(previews).toHaveCount(0);

  // Drag a wire from conv2's output towards fc1; stop halfway and read every node.
  const from = await centre(page, handle('conv2', 'source'));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 120, from.y + 60, { steps: 8 });
  await expect(page.locator('.react-flow__connectionline')).toBeVisible();

  const fc1 = page.getByTestId('connect-preview-fc1');
  await expect(fc1).toHaveAttribute('data-compatible', 'false');
  await expect(fc1).toContainText('Expects a flat input but receives 16×10×10');
  await expect(fc1).toContainText('Fix: Insert Flatten before it');
  await expect(fc1).toHaveAttribute('title', /^Linear "fc1" expects a flat input/);
  await expect(page.getByTestId('node-fc1')).toHaveClass(/wire-dimmed/);
  // A pool halves the map, a ReLU keeps it; each would take conv2 instead of its input.
  await expect(page.getByTestId('connect-preview-pool2')).toHaveAttribute(
    'data-compatible',
    'true',
  );
  await expect(page.getByTestId('connect-preview-pool2')).toContainText('16×5×5');
  await expect(page.getByTestId('connect-preview-pool2')).toContainText('instead of relu2');
  await expect(page.getByTestId('connect-preview-relu3')).toContainText('16×10×10');
  await expect(page.getByTestId('connect-preview-relu2')).toContainText('Already connected');
  await expect(page.getByTestId('node-relu3')).toHaveClass(/wire-candidate/);
  // Upstream nodes would close a loop; the source and the Input show nothing.
  await expect(page.getByTestId('connect-preview-conv1')).toHaveAttribute(
    'data-compatible',
    'false',
  );
  await expect(page.getByTestId('connect-preview-conv1')).toContainText('Would make a cycle');
  await expect(page.getByTestId('connect-preview-conv2')).toHaveCount(0);
  await expect(page.getByTestId('connect-preview-input')).toHaveCount(0);
  await expect(page.getByTestId('node-input')).toHaveClass(/wire-dimmed/);

  // Over fc1's input: that node is the one a drop lands on.
  const to = await centre(page, handle('fc1', 'target'));
  await page.mouse.move(to.x, to.y, { steps: 10 });
  await expect(page.getByTestId('node-fc1')).toHaveClass(/wire-over/);
  await screenshot(page, 'wiring-1-preview-while-dragging');
  await page.mouse.up();
  await expect(previews).toHaveCount(0);

  // The drop fed fc1 from conv2 (instead of flatten); its error offers the same fix.
  expect(await graphEdges(page)).toContain('conv2->fc1');
  expect(await graphEdges(page)).not.toContain('flatten->fc1');
  await expect(page.getByTestId('node-problem-fc1')).toContainText('expects a flat input');
  await expect(page.getByTestId('fix-fc1')).toHaveText('Insert Flatten before it');
  await screenshot(page, 'wiring-2-dropped-on-linear');
  await page.getByTestId('fix-fc1').click();
  await expect(page.getByTestId('node-shape-flatten1')).toHaveText('1600');
  await expect(page.getByTestId('node-shape-fc1')).toHaveText('120');
  await expect(page.getByTestId('node-fc1')).not.toHaveClass(/has-error/);
  expect(await graphEdges(page)).toEqual(
    expect.arrayContaining(['conv2->flatten1', 'flatten1->fc1']),
  );

  // The fix's Flatten got room of its own between conv2 and fc1; Layout tidies the old branch
  // (relu2 → pool2 → flatten, now feeding nothing) beside the new path.
  expect(await overlappingNodes(page)).toEqual([]);
  await page.getByTestId('auto-layout').click();
  await expect(page.getByTestId('auto-layout')).toHaveAttribute('aria-busy', 'false');
  expect(await overlappingNodes(page)).toEqual([]);
  await screenshot(page, 'wiring-3-fixed-and-laid-out');

  // A palette item held over the edge pool1 → conv2 says what splicing it in gives.
  const onEdge = await edgeMiddle(page, 'pool1', 'conv2');
  const item = await centre(page, '[data-testid="palette-item-MaxPool2d"]');
  await page.mouse.move(item.x, item.y);
  await page.mouse.down();
  await page.mouse.move(onEdge.x - 60, onEdge.y, { steps: 6 });
  await page.mouse.move(onEdge.x, onEdge.y, { steps: 6 });
  const splice = page.getByTestId('splice-preview');
  await expect(splice).toHaveAttribute('data-compatible', 'true');
  await expect(splice).toHaveText('Insert MaxPool2d → 6×7×7');
  await screenshot(page, 'wiring-4-splice-preview');
  await page.mouse.up();

  // Spliced: pool1 → pool3 → conv2, with room made for it, and every shape below recomputed.
  expect(await graphEdges(page)).toEqual(expect.arrayContaining(['pool1->pool3', 'pool3->conv2']));
  expect(await graphEdges(page)).not.toContain('pool1->conv2');
  await expect(splice).toHaveCount(0);
  await expect(page.getByTestId('node-shape-pool3')).toHaveText('6×7×7');
  await expect(page.getByTestId('node-shape-conv2')).toHaveText('16×3×3');
  await expect(page.getByTestId('node-shape-flatten1')).toHaveText('144');
  await expect(page.getByTestId('node-shape-fc1')).toHaveText('120');
  // fc1 now sees 144 features: 156 + 2,416 + (144·120 + 120) + 10,164 + 850.
  await expect(page.getByTestId('summary-total-params')).toHaveText('30,986');
  expect(await overlappingNodes(page)).toEqual([]);
  await screenshot(page, 'wiring-5-spliced');

  // An Input dropped on an edge cannot go there: it is placed on its own, nothing rewired.
  const edges = await graphEdges(page);
  const onOther = await edgeMiddle(page, 'pool3', 'conv2');
  await page.getByTestId('palette-item-Input').dragTo(page.getByTestId('canvas'), {
    targetPosition: await canvasOffset(page, onOther),
  });
  await expect(page.getByTestId('node-input1')).toBeVisible();
  expect(await graphEdges(page)).toEqual(edges);
  // Bad drops never break the page: a wire let go on the empty canvas changes nothing.
  const free = await centre(page, handle('relu3', 'source'));
  await page.mouse.move(free.x, free.y);
  await page.mouse.down();
  await page.mouse.move(free.x + 260, free.y - 40, { steps: 8 });
  await page.mouse.up();
  expect(await graphEdges(page)).toEqual(edges);
  await expect(previews).toHaveCount(0);
}

/** Pairs of nodes whose boxes overlap on screen. */
async function overlappingNodes(page: Page): Promise<string[]> {
  const boxes = await page
    .locator('.react-flow__node')
    .evaluateAll((els) =>
      els.map((el) => ({ id: el.getAttribute('data-id') ?? '', r: el.getBoundingClientRect() })),
    );
  const out: string[] = [];
  for (const [i, a] of boxes.entries())
    for (const b of boxes.slice(i + 1))
      if (
        a.r.left < b.r.right &&
        b.r.left < a.r.right &&
        a.r.top < b.r.bottom &&
        b.r.top < a.r.bottom
      )
        out.push(`${a.id}/${b.id}`);
  return out;
}

async function canvasOffset(page: Page, p: Point): Promise<Point> {
  const box = await page.getByTestId('canvas').boundingBox();
  if (!box) throw new Error('no canvas');
  return { x: p.x - box.x, y: p.y - box.y };
}

/** Pans the canvas by dragging its empty left margin vertically by `dy` pixels. */
async function panCanvas(page: Page, dy: number): Promise<void> {
  const box = await page.getByTestId('canvas').boundingBox();
  if (!box) throw new Error('no canvas');
  const x = box.x + 120;
  const y = dy < 0 ? box.y + box.height - 80 : box.y + 40;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x, y + dy, { steps: 10 });
  await page.mouse.up();
}
