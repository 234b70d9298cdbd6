// The parseArgs declarations of the CLI's flags by kind, so that a command's options are its flags'
// names in a table rather than one declaration line each.

/** Flags that each take one value: `--name VALUE`. */
export function valueFlags<const N extends string>(
  ...names: readonly N[]
): { readonly [K in N]: { readonly type: 'string' } } {
  return flagsOf(names, { type: 'string' });
}

/** Flags that take a value and may be given more than once: `--name A --name B`. */
export function repeatableFlags<const N extends string>(
  ...names: readonly N[]
): { readonly [K in N]: { readonly type: 'string'; readonly multiple: true } } {
  return flagsOf(names, { type: 'string', multiple: true });
}

/** Flags that take no value: `--name`. */
export function switchFlags<const N extends string>(
  ...names: readonly N[]
): { readonly [K in N]: { readonly type: 'boolean' } } {
  return flagsOf(names, { type: 'boolean' });
}

function flagsOf<N extends string, D>(names: readonly N[], declaration: D): { readonly [K in N]: D } {
  return Object.fromEntries(names.map((name) => [name, declaration])) as { [K in N]: D };
}
