// A browser entry that uses only the analysis: tree shaking must leave siting, network and HiGHS out.
import { analyzeCoverage } from '@lifecircle/core';

const communities = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { id: 'A', population: 1000 },
      geometry: { type: 'Point', coordinates: [106.661, 35.54] },
    },
    {
      type: 'Feature',
      properties: { id: 'B', population: 500 },
      geometry: { type: 'Point', coordinates: [106.7, 35.54] },
    },
  ],
};
const facilities = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { id: 'K1', type: '幼儿园' },
      geometry: { type: 'Point', coordinates: [106.66, 35.54] },
    },
  ],
};

const { summary } = analyzeCoverage({ communities, facilities });
console.log(
  JSON.stringify({
    coveredShare: summary.types.kindergarten.coveredShare,
    radiusM: summary.types.kindergarten.radiusM,
  }),
);
