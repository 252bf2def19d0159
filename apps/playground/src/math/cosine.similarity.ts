/** cos(a, b) = a·b / (|a| |b|); 0 when either vector is zero (no direction to compare). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`vectors differ in length: ${a.length} vs ${b.length}`);
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  if (aa === 0 || bb === 0) return 0;
  return Math.min(1, Math.max(-1, dot / Math.sqrt(aa * bb)));
}

/** Similarity of every row to row `index`. */
export function similarityTo(rows: readonly ArrayLike<number>[], index: number): Float64Array {
  const query = rows[index];
  return Float64Array.from(rows, (row) => cosineSimilarity(query, row));
}
