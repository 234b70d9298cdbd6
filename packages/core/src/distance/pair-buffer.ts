/**
 * Growable (origin, target, value) triples: what a distance source collects while answering
 * `within`, before laying them out as a cost table. `value` is whatever the source measures in
 * (metres, or a squared chord the great-circle source converts later).
 */
export class PairBuffer {
  origin: Uint32Array = new Uint32Array(1024);
  target: Uint32Array = new Uint32Array(1024);
  value: Float64Array = new Float64Array(1024);
  length = 0;

  push(origin: number, target: number, value: number): void {
    if (this.length === this.origin.length) {
      const size = this.length * 2;
      const grownOrigin = new Uint32Array(size);
      grownOrigin.set(this.origin);
      this.origin = grownOrigin;
      const grownTarget = new Uint32Array(size);
      grownTarget.set(this.target);
      this.target = grownTarget;
      const grownValue = new Float64Array(size);
      grownValue.set(this.value);
      this.value = grownValue;
    }
    this.origin[this.length] = origin;
    this.target[this.length] = target;
    this.value[this.length++] = value;
  }
}
