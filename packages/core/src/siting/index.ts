// Siting: where new facilities should go. One class per model; each takes a cost table as its core
// input (fromCostMatrix) with a thin adapter for any distance source (fromSource), and
// siteFacilities runs the whole question from GeoJSON.

export {
  type AreaInput,
  type CandidateOrigin,
  type CandidateRead,
  type CandidateSet,
  candidatesInAreas,
  combineTargets,
  type GenerateCandidatesOptions,
  generateCandidates,
  type ReadCandidatesOptions,
  readCandidates,
} from './candidates.js';
export { CapacitatedCoverage } from './capacitated.js';
export { type HighsLoadOptions, loadHighs } from './highs.js';
export { MaximalCovering } from './maximal-covering.js';
export {
  SITING_MODEL_NAMES,
  SITING_MODELS,
  type SitingModel,
  type SitingModelEntry,
  type SitingModelParameters,
  sitingModel,
} from './models.js';
export { PCenter } from './p-center.js';
export { PMedian } from './p-median.js';
export { SetCovering } from './set-covering.js';
export type { FromSourceOptions, SitingDemand } from './shared.js';
export {
  type ChosenSite,
  type ChosenSiteLoad,
  type CommunitySiteRow,
  type SiteGenerateOptions,
  type SiteInput,
  type SiteOptions,
  type SiteOutcome,
  type SiteParameters,
  type SiteProgress,
  type SiteSummary,
  type SiteTerrainLoss,
  type SiteTradeoffPoint,
  siteFacilities,
} from './site-facilities.js';
export { type ReconciledTradeoffPoint, reconcileTradeoff, type TradeoffSolution } from './tradeoff.js';
export type {
  BoundMethod,
  BoundStop,
  CapacitatedCoverageOptions,
  MaximalCoveringOptions,
  OwnerFigures,
  PCenterOptions,
  PMedianOptions,
  SetCoveringOptions,
  SiteChoice,
  SiteLoad,
  SitingMethod,
  SitingModelName,
  SitingModelSize,
  SitingOptions,
  SitingResult,
  SitingSolveOptions,
  SitingSolver,
  SitingStatus,
  TradeoffPoint,
} from './types.js';
