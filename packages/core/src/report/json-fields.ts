// The file shape of a result, derived from it: a result's camelCase fields, in the order its file
// lists them, written snake_case and rounded by the one rounding. Compliance, monitor and siting
// files are made this way, so a field added to a result is added to its file in one list.

import { roundOrNull as round } from './round.js';

/** `nameZh` → `name_zh`: a camelCase field name as the files spell it. */
export type SnakeCase<S extends string> = S extends `${infer C}${infer Rest}`
  ? `${C extends Lowercase<C> ? C : `_${Lowercase<C>}`}${SnakeCase<Rest>}`
  : S;

/**
 * A result's shape as its file spells it: the same fields, snake_case; the `Rounded` ones may be null
 * (a figure that is not a number is written as null), the `Replaced` ones have the type given.
 */
export type SnakeCased<
  T,
  Rounded extends keyof T = never,
  Replaced extends { [K in keyof T]?: unknown } = Record<never, never>,
> = {
  readonly [K in keyof T as K extends string ? SnakeCase<K> : never]: K extends keyof Replaced
    ? Replaced[K]
    : K extends Rounded
      ? T[K] | null
      : T[K];
};

/** How a field is written: rounded to some decimals, or by a function of the result. */
export type JsonWrite<T> = number | ((of: T) => unknown);

/**
 * A result's fields in the order of its file, each written as it is (its name) or as `[name, write]`
 * says; the file spells each snake_case.
 */
export type JsonFields<T> = readonly ((keyof T & string) | readonly [keyof T & string, JsonWrite<T>])[];

/** An object of a file from a result and its {@link JsonFields}. */
export function snakeCasedJson<T, J>(value: T, fields: JsonFields<T>): J {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const [name, write]: readonly [keyof T & string, JsonWrite<T>?] =
      typeof field === 'string' ? [field] : field;
    const key = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (write === undefined) out[key] = value[name];
    else out[key] = typeof write === 'number' ? round(value[name] as number | null, write) : write(value);
  }
  return out as J;
}
