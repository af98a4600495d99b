import { expect, type Page } from '@playwright/test';
import { connect, dragLayer, screenshot, setParams } from './helpers';

// Drop spots on a 4-column grid of the canvas (canvas pixels), in the order layers are added:
// away from the edges (React Flow auto-pans while a connection is dragged near them) and from
// the minimap in the bottom-right corner.
const SPOTS = [0, 1, 2, 3].flatMap((row) =>
  [0, 1, 2, 3].map((col) => ({ x: 125 + col * 230, y: 80 + row * 118 })),
);

/**
 * Journey 1: a new user builds LeNet-5 from an empty canvas by dragging palette items,
 * connecting handles and typing parameters — and sees 61,706 parameters, a 10-way output and
 * no diagnostics.
 */
export async function buildLeNet(page: Page): Promise<void> {
  await expect(page.getByText('Start a network')).toBeVisible();
  const layers: [string, string, Record<string, string>][] = [
    ['Input', 'input', {}],
    ['Conv2d', 'conv1', { out_channels: '6', kernel_size: '5', padding: '2' }],
    ['ReLU', 'relu1', {}],
    ['MaxPool2d', 'pool1', { kernel_size: '2' }],
    ['Conv2d', 'conv2', { out_channels: '16', kernel_size: '5' }],
    ['ReLU', 'relu2', {}],
    ['MaxPool2d', 'pool2', { kernel_size: '2' }],
    ['Flatten', 'flatten1', {}],
    ['Linear', 'fc1', { out_features: '120' }],
    ['ReLU', 'relu3', {}],
    ['Linear', 'fc2', { out_features: '84' }],
    ['ReLU', 'relu4', {}],
    ['Linear', 'fc3', { out_features: '10' }],
  ];
  for (const [i, [type, id]] of layers.entries()) {
    const spot = SPOTS[i] ?? { x: 100, y: 100 };
    await dragLayer(page, type, spot.x, spot.y);
    await expect(page.getByTestId(`node-${id}`)).toBeVisible();
  }
  for (let i = 1; i < layers.length; i++) {
    await connect(page, layers[i - 1]?.[1] ?? '', layers[i]?.[1] ?? '');
  }
  await expect(page.locator('.react-flow__edge')).toHaveCount(layers.length - 1);
  for (const [, id, params] of layers) {
    if (Object.keys(params).length > 0) await setParams(page, id, params);
  }
  await expect(page.getByTestId('summary-total-params')).toHaveText('61,706');
  await expect(page.getByTestId('summary-total-macs')).toHaveText('416,520');
  await expect(page.getByTestId('node-shape-conv1')).toHaveText('6×28×28');
  await expect(page.getByTestId('node-shape-pool2')).toHaveText('16×5×5');
  await expect(page.getByTestId('node-shape-fc3')).toHaveText('10');
  await expect(page.getByTestId('diagnostics').locator('li')).toHaveCount(0);
  // The inspector shows the formula with the numbers plugged in.
  await setParams(page, 'conv1', {});
  await expect(page.getByTestId('trace')).toContainText('params = 5·5·1·6 + 6 = 156');
  await screenshot(page, '1-build-lenet');
  // Tidy up: the automatic layout stacks the layers top to bottom.
  await page.getByTestId('auto-layout').click();
  await expect(page.getByTestId('summary-total-params')).toHaveText('61,706');
  await screenshot(page, '1-build-lenet-layout');
  const graph = await page.evaluate(() => window.nnb.getGraph());
  expect(graph.nodes).toHaveLength(13);
  expect(graph.edges).toHaveLength(12);
}
