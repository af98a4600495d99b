import { expect, type Page } from '@playwright/test';
import { openTemplate, screenshot } from './helpers';

const LENET = ['conv1', 'relu1', 'pool1', 'conv2', 'relu2', 'pool2', 'flatten', 'fc1', 'fc3'];

/**
 * Measured per-layer time (issue 15, item 3) on LeNet-5: Profile runs in the web server's engine
 * (a worker thread), then every node's milliseconds sit beside its MACs with what was measured
 * and the totals, and the heatmap can colour by measured time. Times are never asserted as
 * absolute numbers: only that they are there, positive, and add up to the stated total.
 */
export async function profileLayers(page: Page): Promise<void> {
  await openTemplate(page, 'lenet-5');
  await expect(page.getByTestId('profile-panel')).toHaveCount(0);
  await page.getByTestId('profile-run').click();
  // The page stays usable while the engine measures: the heatmap toggles meanwhile.
  await page.getByTestId('heatmap-toggle').click();
  await expect(page.getByTestId('heatmap-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('heatmap-metric-time')).toHaveCount(0);

  await expect(page.getByTestId('node-latency-conv1')).toBeVisible({ timeout: 90_000 });
  for (const id of LENET) {
    const cell = page.getByTestId(`node-latency-${id}`);
    await expect(cell).toHaveText(/^\d[\d,.]* ms$/);
    expect(Number(await cell.getAttribute('data-ms'))).toBeGreaterThanOrEqual(0);
  }
  expect(
    Number(await page.getByTestId('node-latency-conv2').getAttribute('data-ms')),
  ).toBeGreaterThan(0);
  // Beside its MACs: conv2's row reads 240,000 MACs.
  await expect(page.getByTestId('node-latency-conv2').locator('xpath=..')).toContainText('240,000');
  await expect(page.getByTestId('profile-header')).toHaveText(
    /^Measured on \w[\w-]*.*, batch 64: forward \+ backward of each layer alone, 2 warm-up runs, then the median of 5\.$/,
  );
  await expect(page.getByTestId('profile-totals')).toHaveText(
    /^Layers: [\d.,]+ ms · whole step: [\d.,]+ ms \([+−]?\d+%\)$/,
  );
  await page.getByTestId('fit-view').click();
  await screenshot(page, 'profile-table');

  // The heatmap by measured time: a metric of its own, the legend says what was measured.
  await page.getByTestId('heatmap-metric-time').click();
  const legend = page.getByTestId('heatmap-legend');
  await expect(legend).toHaveAttribute('data-metric', 'time');
  await expect(legend).toContainText(/Share of measured time \(\w[\w-]*, batch 64\)/);
  await expect(page.getByTestId('heatmap-top')).toHaveText(/^Costliest: \w+ \d+(\.\d)?%$/);
  await expect(page.getByTestId('node-conv2')).toHaveAttribute('data-heat-share', /^0\.\d+|^1$/);
  await expect(page.getByTestId('node-heat-conv2')).toHaveText(/% Time$/);
  await screenshot(page, 'profile-heatmap-time');
}

/** A graph with an error is refused with the analysis's message, and nothing is measured. */
export async function profileBrokenGraph(page: Page): Promise<void> {
  await openTemplate(page, 'lenet-5');
  // LeNet-5 without its Flatten: fc1 is left with no input.
  await page.evaluate(() => {
    const graph = window.nnb.getGraph();
    window.nnb.loadGraph({
      ...graph,
      nodes: graph.nodes.filter((n) => n.id !== 'flatten'),
      edges: graph.edges.filter((e) => e.source !== 'flatten' && e.target !== 'flatten'),
    });
  });
  await expect(page.getByTestId('node-flatten')).toHaveCount(0);
  await page.getByTestId('profile-run').click();
  await expect(page.getByTestId('profile-error')).toContainText(
    /Profile failed: .*cannot be profiled: /,
    { timeout: 60_000 },
  );
  await expect(page.getByTestId('node-latency-conv1')).toHaveCount(0);
  await screenshot(page, 'profile-error');
}
