// The small city every consumer check uses: A is 90 m from the only kindergarten, B 3.6 km away,
// C has a negative population and must come back rejected.
import { readFileSync } from 'node:fs';

const read = (name) => JSON.parse(readFileSync(new URL(`./city/${name}.geojson`, import.meta.url), 'utf8'));
export const communities = read('communities');
export const facilities = read('facilities');
