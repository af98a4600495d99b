import type { RefusalCode } from '../../src/core/graph/edits';

/** A refused drop in a few words (the full reason is the tooltip). */
export const REFUSALS: Readonly<Record<RefusalCode, string>> = {
  cycle: 'Would make a cycle',
  duplicate: 'Already connected',
  'self-loop': 'Cannot feed itself',
  'network-input': 'Takes no input',
  full: 'Inputs full — join with Add or Concat',
  'not-in-graph': 'Not in this graph',
};

/**
 * A node's message without its own title (`Linear "fc1" expects…` → `Expects…`), which the
 * node's header already shows; other messages unchanged.
 */
export function withoutTitle(message: string, title: string): string {
  if (!message.startsWith(title)) return message;
  const rest = message.slice(title.length).replace(/^[:\s]+/, '');
  return rest === '' ? message : rest.charAt(0).toUpperCase() + rest.slice(1);
}
