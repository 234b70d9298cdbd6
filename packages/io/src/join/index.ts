export {
  type JoinTable,
  joinPopulation,
  type PopulationJoined,
  type PopulationJoinOptions,
  type PopulationJoinRecord,
} from './population.js';
