import type uPlot from 'uplot';
import { panWindow } from './chartData';

/** The x scale's current window, or null before uPlot has set one. */
export function xWindow(u: uPlot): { min: number; max: number } | null {
  const scale = u.scales.x;
  return scale?.min == null || scale.max == null ? null : { min: scale.min, max: scale.max };
}

/**
 * Shift + drag pans a zoomed chart along x (a plain drag still selects a range to zoom into).
 * The listener sits on the chart's root in the capture phase, so it runs before uPlot's own
 * drag-to-zoom on the plot area and can keep it from starting.
 */
export function panPlugin(): uPlot.Plugin {
  return {
    hooks: {
      init: (u) => {
        const onDown = (down: MouseEvent) => {
          if (!down.shiftKey || down.button !== 0 || !u.over.contains(down.target as Node)) return;
          const xs = u.data[0];
          const lo = xs[0];
          const hi = xs[xs.length - 1];
          const view = xWindow(u);
          if (lo === undefined || hi === undefined || !view) return;
          const { min, max } = view;
          down.preventDefault();
          down.stopPropagation();
          const perPx = (max - min) / Math.max(1, u.over.clientWidth);
          u.over.style.cursor = 'grabbing';
          const onMove = (move: MouseEvent) => {
            const [a, b] = panWindow(min, max, -(move.clientX - down.clientX) * perPx, lo, hi);
            u.setScale('x', { min: a, max: b });
          };
          const onUp = () => {
            u.over.style.cursor = '';
            window.removeEventListener('mousemove', onMove);
            window.removeEventListener('mouseup', onUp);
          };
          window.addEventListener('mousemove', onMove);
          window.addEventListener('mouseup', onUp);
        };
        u.root.addEventListener('mousedown', onDown, true);
      },
    },
  };
}
