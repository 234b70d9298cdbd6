/** A figure judged against its target. */
export interface TargetJudgement {
  /** amount ÷ base × scale; null when the base is 0. */
  readonly value: number | null;
  /** Whether the target is reached; null when there is no target or no base. */
  readonly met: boolean | null;
  /**
   * What is missing, in the amount's own units (places, m², communities) rounded up to a whole unit:
   * 0 exactly when the target is met, at least 1 when not; null when `met` is null.
   */
  readonly shortfall: number | null;
}

/**
 * Judges `amount` per `base` (× `scale`) against a target. `>=`: the amount must reach
 * target × base ÷ scale, and the shortfall is what is missing; `<=`: it must not exceed it, and the
 * shortfall is the excess. Met and shortfall are decided by one comparison, so the shortfall is 0
 * exactly when the target is met.
 *
 * @example
 * // 2,293 places for 612,001 residents against 4.5 per 1,000:
 * judgeTarget(2293, 612001, 1000, 4.5); // { value: 3.7467…, met: false, shortfall: 462 }
 */
export function judgeTarget(
  amount: number,
  base: number,
  scale: number,
  target: number | null,
  comparison: '>=' | '<=' = '>=',
): TargetJudgement {
  if (!(base > 0) || !Number.isFinite(amount)) return { value: null, met: null, shortfall: null };
  const value = (amount / base) * scale;
  if (target === null) return { value, met: null, shortfall: null };
  const needed = (target * base) / scale;
  const met = comparison === '>=' ? amount * scale >= target * base : amount * scale <= target * base;
  if (met) return { value, met, shortfall: 0 };
  const gap = comparison === '>=' ? needed - amount : amount - needed;
  return { value, met, shortfall: Math.max(1, Math.ceil(gap - 1e-9)) };
}
