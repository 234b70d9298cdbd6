/** A point with an id, as facility records and an analysis's facilities are. */
export interface IdentifiedPoint {
  readonly id: string;
  readonly lon: number;
  readonly lat: number;
}

/**
 * The targets a distance source measures for the points `index` picks out of `points`, in that
 * order: their interleaved WGS84 coordinates and their ids.
 */
export function targetsAt(
  points: readonly IdentifiedPoint[],
  index: ArrayLike<number>,
): { coords: Float64Array; ids: string[] } {
  const coords = new Float64Array(index.length * 2);
  const ids: string[] = [];
  for (let k = 0; k < index.length; k++) {
    const p = points[index[k]!]!;
    coords[2 * k] = p.lon;
    coords[2 * k + 1] = p.lat;
    ids.push(p.id);
  }
  return { coords, ids };
}
