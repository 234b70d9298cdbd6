// The anchored lattice that demand grids and candidate grids share: cell centres at odd multiples of
// half a step from 0° in each axis, so that two grids of the same step over overlapping boxes place
// their points at the same positions, whatever each box's corner.

/**
 * Calls `visit` with every lattice centre ((x + ½)·dLon, (y + ½)·dLat) inside the box [minLon, maxLon]
 * × [minLat, maxLat], row by row from the south, west to east; `x` and `y` name the cell.
 */
export function forEachLatticePoint(
  box: { minLon: number; minLat: number; maxLon: number; maxLat: number },
  dLon: number,
  dLat: number,
  visit: (lon: number, lat: number, x: number, y: number) => void,
): void {
  const { minLon, minLat, maxLon, maxLat } = box;
  for (let y = Math.floor(minLat / dLat); (y + 0.5) * dLat <= maxLat; y++) {
    const lat = (y + 0.5) * dLat;
    if (lat < minLat) continue;
    for (let x = Math.floor(minLon / dLon); (x + 0.5) * dLon <= maxLon; x++) {
      const lon = (x + 0.5) * dLon;
      if (lon < minLon) continue;
      visit(lon, lat, x, y);
    }
  }
}
