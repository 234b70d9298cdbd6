import type { DemandColumns } from '@lifecircle/core';
import { DemandColumnsBuilder, DemandPointValidator } from '@lifecircle/core/internal';
import { DEFAULT_LIMITS, type ReadLimits } from '../limits.js';
import type { DeclaredCrs } from '../read/types.js';
import { FlatGeobufFeatureStream } from './stream.js';

/**
 * Reads demand points from a FlatGeobuf file pushed as bytes in pieces of any size, straight into
 * typed columns (`DemandColumns`), as `DemandLinesReader` reads GeoJSON lines: each feature
 * is checked as a demand point (core's `DemandPointValidator`) and dropped, so a province's millions
 * of points cost 24 bytes each rather than a feature object each. Every rejection and warning is the
 * one `readInput` and core's `validateDemandPoints` give on the same file; a file that is not
 * FlatGeobuf, is cut off or garbled throws the `InputError` `readInput` throws.
 *
 * @example
 * const reader = new FlatGeobufDemandReader('demand.fgb');
 * reader.pushBytes(fgbBytes); // in pieces of any size
 * const columns = reader.end(); // analyzeCoverage({ communities, facilities, demand: columns })
 */
export class FlatGeobufDemandReader {
  private readonly validator: DemandPointValidator;
  private readonly builder = new DemandColumnsBuilder();
  private readonly stream: FlatGeobufFeatureStream;

  /** `fileBytes`: the file's size when known (see {@link FlatGeobufFeatureStream}). */
  constructor(
    readonly file: string,
    limits: ReadLimits = DEFAULT_LIMITS,
    fileBytes: number | null = null,
  ) {
    this.validator = new DemandPointValidator(file);
    this.stream = new FlatGeobufFeatureStream(file, limits, fileBytes);
  }

  /** Points read so far. */
  get points(): number {
    return this.builder.size;
  }

  /** The coordinate system the file's header declares (once the header is read). */
  get crs(): DeclaredCrs | null {
    return this.stream.crs;
  }

  /** Reads the complete features of a piece of the file's bytes (the pieces joined are the file). */
  pushBytes(bytes: Uint8Array): void {
    this.stream.push(bytes, (feature, index) => {
      const point = this.validator.check(feature, index);
      if (point) this.builder.add(point.lon, point.lat, point.population, point.communityId, index);
    });
  }

  /** The columns of every point read, with the features rejected and the warnings. */
  end(): DemandColumns {
    this.stream.end();
    return this.builder.finish([...this.validator.rejected], this.validator.warnings());
  }
}
