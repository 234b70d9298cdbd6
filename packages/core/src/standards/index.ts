export {
  type CapacityUnit,
  type CatalogProblem,
  FacilityCatalog,
  type FacilityType,
  type LifeCircleTier,
  parseCatalogTypes,
  type RadiusStatus,
} from './catalog.js';
