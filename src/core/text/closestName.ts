/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      prev[j] = Math.min(above + 1, (prev[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return prev[b.length] ?? 0;
}

/**
 * Longest name worth a suggestion. The edit distance costs length × length: a 10 MB layer type
 * took 19 s and 1.4 GB before this bound; no real name comes near it.
 */
export const MAX_SUGGESTED_NAME_LENGTH = 100;

/** The candidate a typo most likely meant (case-insensitive), or undefined when none is close. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  if (name.length > MAX_SUGGESTED_NAME_LENGTH) return undefined;
  const lower = name.toLowerCase();
  const allowed = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    // The distance is at least the difference in length: skip what cannot be close enough.
    if (c.length > MAX_SUGGESTED_NAME_LENGTH || Math.abs(c.length - name.length) > allowed)
      continue;
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= allowed ? best : undefined;
}
