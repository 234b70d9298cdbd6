// Plain decimal numbers only: Number() would also take '', ' ', '0x1F4' and '1e3'.
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/;

/** A plain decimal number, or NaN for anything else. */
export function decimal(text: string): number {
  return DECIMAL.test(text) ? Number(text) : Number.NaN;
}
