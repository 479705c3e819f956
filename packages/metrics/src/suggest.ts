/** Edit distance (insertions, deletions, substitutions) between two strings. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

const nameOf = (referenceKey: string) => referenceKey.slice(referenceKey.indexOf(':') + 1);

/**
 * The known keys closest to a mistyped one, best first: near misses of the whole key (`ig:reahc`), and
 * the same metric under another prefix (`instagram:reach` -> `ig:reach`).
 */
export function closestKeys(input: string, candidates: readonly string[], limit = 3): string[] {
  const tolerance = Math.max(2, Math.floor(input.length / 4));
  return candidates
    .map((candidate) => ({
      candidate,
      distance: Math.min(editDistance(input, candidate), editDistance(nameOf(input), nameOf(candidate)) + 1),
    }))
    .filter(({ distance }) => distance <= tolerance)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}
