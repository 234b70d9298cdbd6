/**
 * Internals of @lifecircle/core that the other lifecircle packages (io, the CLI, the viewer), the
 * benchmarks and the tests share, and that users should not build on: they may change in any
 * release. Import from `@lifecircle/core/internal`.
 *
 * @internal
 * @module @lifecircle/core/internal
 */

export { NETWORK_WARNING_CODES } from './network/problems.js';
export { servesAsGiven } from './rules/serving.js';
export { featureCollectionOf, positionProblem } from './validate/features.js';
export { isRecord } from './validate/problems.js';
