// Small geometry helpers of the browser tests (their references are worked out in Node).

/** The mean of a geometry's vertices: a point inside a compact community, good enough for a test. */
export function centre(geometry: { type: string; coordinates: unknown }): [number, number] {
  const flat = JSON.stringify(geometry.coordinates)
    .match(/-?\d+(\.\d+)?/g)!
    .map(Number);
  let x = 0;
  let y = 0;
  for (let i = 0; i < flat.length; i += 2) {
    x += flat[i]!;
    y += flat[i + 1]!;
  }
  return [x / (flat.length / 2), y / (flat.length / 2)];
}

/** Metres between two positions (equirectangular; enough at city scale). */
export function metres(a: readonly number[], b: readonly number[]): number {
  const k = Math.PI / 180;
  const x = (b[0]! - a[0]!) * k * Math.cos(((a[1]! + b[1]!) / 2) * k);
  const y = (b[1]! - a[1]!) * k;
  return Math.hypot(x, y) * 6_371_000;
}
