// Feeding a streaming reader its input cut at given places, for the tests that it reads the same
// whatever the pieces (io's DemandLinesReader, FlatGeobufDemandReader).

/** Calls `push` with the pieces of `whole` (a string or bytes) cut at `cuts`, in order, each a copy. */
export function pushInPieces<T extends string | Uint8Array>(
  whole: T,
  cuts: readonly number[],
  push: (piece: T) => void,
): void {
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const to = Math.min(cut, whole.length);
    push(whole.slice(from, to) as T);
    from = to;
  }
  push(whole.slice(from) as T);
}
