// Number formats of reasons: what a bureau reads in the CSV and the report.

/** A whole number with thousands separators (toLocaleString is slow in hot loops). */
export function thousands(value: number): string {
  const text = String(Math.abs(Math.round(value)));
  let out = '';
  for (let k = 0; k < text.length; k++) {
    if (k > 0 && (text.length - k) % 3 === 0) out += ',';
    out += text[k];
  }
  return value < -0.5 ? `-${out}` : out;
}

export function metres(value: number): string {
  return `${thousands(value)} m`;
}

/**
 * A walking cost in the run's unit: metres as {@link metres}, or minutes (a walker's graph, a cost
 * matrix in minutes) to one decimal, so that a 5-minute radius never reads as "5 m".
 */
export function cost(value: number, unit: 'm' | 'min'): string {
  return unit === 'min' ? `${Number(value.toFixed(1))} min` : metres(value);
}

export function area(value: number): string {
  return `${thousands(value)} m²`;
}

export function percent(share: number): string {
  const p = share * 100;
  return `${p >= 10 || p === 0 ? Math.round(p) : p.toFixed(1)}%`;
}

/** A figure to one decimal, or two below 10, without trailing zeros. */
export function figure(value: number): string {
  const digits = Math.abs(value) < 10 ? 2 : 1;
  return String(Number(value.toFixed(digits)));
}

/** Up to three ids, then how many more. */
export function idList(ids: readonly string[]): string {
  const shown = ids.slice(0, 3).join(', ');
  return ids.length > 3 ? `${shown} and ${ids.length - 3} more` : shown;
}
