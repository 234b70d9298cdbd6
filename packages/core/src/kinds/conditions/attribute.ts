import { figure } from '../../compliance/format.js';
import type { ValueStatus } from '../../standards/profile.js';
import type { ConditionKindModule } from '../types.js';
import { yesNo } from '../values.js';

/** A community property: `equals` a value (yes/no answers understood), or at least `min`. */
export interface AttributeCondition {
  readonly kind: 'attribute';
  readonly property: string;
  readonly equals: boolean | string | number | null;
  readonly min: number | null;
  readonly status: ValueStatus;
  readonly source: string | null;
}

/** `attribute`: a property of the community itself; needs no facility. */
export const attributeCondition: ConditionKindModule<AttributeCondition> = {
  names: { attribute: { needs: 'a property of the community' } },
  fields: ['kind', 'property', 'equals', 'min', 'status', 'source'],
  shortfallLabels: { attribute: null },
  needsFacilities: false,
  read(kind, raw, path, reader, common) {
    const property = reader.string(raw, 'property', path, { required: true });
    const equals = reader.scalar(raw.equals, `${path}.equals`);
    const min = reader.number(raw, 'min', path, () => true, 'a number');
    if (equals === null && min === null) {
      reader.problem(path, 'an attribute condition needs "equals" (e.g. true) or "min" (a number)');
    }
    return property === null ? null : { kind, property, equals, min, ...common };
  },
  shares: () => null,
  stated: (condition) => ({ label: condition.property, value: condition.min ?? condition.equals ?? '' }),
  judge(condition, at) {
    const { result } = at;
    const property = condition.property;
    const raw = at.community.properties[property];
    if (raw === undefined || raw === null || raw === '') {
      return result('unknown', () => `${property} not given`, null, condition.min, 'attribute');
    }
    if (condition.min !== null) {
      const min = condition.min;
      const value = typeof raw === 'number' ? raw : Number(raw);
      if (!Number.isFinite(value)) {
        return result(
          'unknown',
          () => `${property} '${String(raw)}' is not a number`,
          null,
          min,
          'attribute',
        );
      }
      return value >= min
        ? result('pass', () => `${property} ${figure(value)} ≥ ${figure(min)}`, value, min, 'attribute')
        : result('fail', () => `${property} ${figure(value)}, below ${figure(min)}`, value, min, 'attribute');
    }
    if (typeof condition.equals === 'boolean') {
      const answer = yesNo(raw);
      if (answer === null) {
        return result(
          'unknown',
          () => `${property} '${String(raw)}' is not a yes/no answer`,
          null,
          null,
          'attribute',
        );
      }
      return result(
        answer === condition.equals ? 'pass' : 'fail',
        () => `${property}: ${answer ? 'yes' : 'no'}`,
        null,
        null,
        'attribute',
      );
    }
    const wanted = String(condition.equals);
    return String(raw) === wanted
      ? result('pass', () => `${property}: ${String(raw)}`, null, null, 'attribute')
      : result('fail', () => `${property}: ${String(raw)}, not ${wanted}`, null, null, 'attribute');
  },
};
