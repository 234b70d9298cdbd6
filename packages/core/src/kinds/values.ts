// Small readings of data values that several kinds share.

import { numericProperty } from '../indicators/demand.js';
import type { FacilityCatalog } from '../standards/catalog.js';
import type { DemandSpec } from '../standards/profile.js';
import type { FacilityRecord } from '../validate/features.js';

const YES = new Set(['true', 'yes', 'y', '1', '是', '有', '已建', '达标', '完善']);
const NO = new Set(['false', 'no', 'n', '0', '否', '无', '未建', '不达标']);

/** A yes/no answer from a property, or null when it is not one. */
export function yesNo(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : null;
  if (typeof value === 'string') {
    const key = value.trim().toLowerCase();
    if (YES.has(key)) return true;
    if (NO.has(key)) return false;
  }
  return null;
}

/** Whether a property value matches the wanted one (yes/no answers understood); null when not given. */
export function matches(value: unknown, wanted: boolean | string | number): boolean | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof wanted === 'boolean') {
    const answer = yesNo(value);
    return answer === null ? null : answer === wanted;
  }
  return String(value) === String(wanted);
}

/** "1 community", "3 communities". */
export function communities(n: number): string {
  return `${n} ${n === 1 ? 'community' : 'communities'}`;
}

/** The unit a facility field of these types is counted in: m², the catalog's capacity unit, or the field's name. */
export function supplyUnit(catalog: FacilityCatalog, types: readonly string[], field: string): string {
  if (field === 'area_m2') return 'm²';
  if (field === 'capacity') {
    const unit = catalog.get(types[0] ?? '')?.capacity_unit;
    return unit === 'm2' ? 'm²' : (unit ?? 'capacity');
  }
  return field;
}

/** Who a demand spec counts, in words. */
export function demandName(spec: DemandSpec): string {
  switch (spec.kind) {
    case 'population':
      return 'residents';
    case 'households':
      return 'households';
    case 'property':
      return spec.property;
    case 'share':
      return `residents × ${spec.share}`;
  }
}

/** A numeric facility field: `capacity`, `area_m2`, or any numeric property; NaN when unknown. */
export function facilityField(f: FacilityRecord, field: string): number {
  if (field === 'capacity') return f.capacity;
  if (field === 'area_m2') return f.areaM2;
  return numericProperty(f.properties, field);
}
