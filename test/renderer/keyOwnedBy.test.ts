import { describe, expect, it } from 'vitest';
import { actionFor, keyLabel, keyOwnedBy } from '../../renderer/actions';

/** A stand-in element that sits inside the elements matching `inside` (a CSS selector list). */
function inside(...kinds: string[]) {
  return {
    closest: (selector: string) =>
      selector.split(',').some((s) => kinds.includes(s.trim())) ? {} : null,
  };
}

describe('keys a focused control keeps', () => {
  it.each([
    ['Enter', inside('button'), true],
    ['Enter', inside('[role="tab"]'), true],
    ['Enter', inside('.react-flow__node'), false],
    ['Enter', inside(), false],
    ['ArrowDown', inside('.react-flow__node'), true],
    ['ArrowUp', inside('[role="tablist"]'), true],
    ['ArrowLeft', inside('button'), false],
    ['ArrowDown', null, false],
    ['Mod+K', inside('button'), false],
    ['ArrowDown', inside('[aria-modal="true"]'), true],
    ['ArrowDown', inside('[role="region"]'), true],
    ['Enter', inside('[aria-modal="true"]'), true],
    ['Escape', inside('[aria-modal="true"]'), false],
  ] as const)('%s on %o → %s', (combo, target, owned) => {
    expect(keyOwnedBy(target, combo)).toBe(owned);
  });

  it('binds the keyboard-building keys', () => {
    expect(actionFor('Mod+K')?.id).toBe('findLayer');
    expect(actionFor('Enter')?.id).toBe('editParams');
    expect(actionFor('ArrowDown')?.id).toBe('selectNext');
    expect(actionFor('ArrowUp')?.id).toBe('selectPrevious');
    expect(actionFor('ArrowLeft')?.id).toBe('selectSibling');
    expect(keyLabel('ArrowDown', false)).toBe('↓');
    expect(keyLabel('Shift+ArrowLeft', true)).toBe('⇧←');
  });
});
