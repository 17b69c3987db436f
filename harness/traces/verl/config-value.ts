/** A configuration value as Hydra / OmegaConf hold it: what a printed config dict or a command-line override gives. */
export type ConfigValue = null | boolean | number | string | readonly ConfigValue[] | { readonly [key: string]: ConfigValue };

/** Whether two config values mean the same (numbers compared as numbers: `1e-6` = `1e-06`). */
export function sameConfigValue(a: ConfigValue, b: ConfigValue): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameConfigValue(item, b[i]!));
  if (isConfigObject(a) && isConfigObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && sameConfigValue(a[key]!, b[key]!));
  }
  return false;
}

export function isConfigObject(value: ConfigValue | undefined): value is { readonly [key: string]: ConfigValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Python-like text of a value, for messages (`True`, `None`, `'fsdp'`, `[1, 2]`). */
export function showConfigValue(value: ConfigValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(showConfigValue).join(', ')}]`;
  return `{${Object.entries(value).map(([k, v]) => `'${k}': ${showConfigValue(v)}`).join(', ')}}`;
}

/** Dotted keys of every leaf of a nested config (an empty object is a leaf). Keys sorted, so output is stable. */
export function flattenConfig(tree: { readonly [key: string]: ConfigValue }, prefix = ''): [string, ConfigValue][] {
  const out: [string, ConfigValue][] = [];
  for (const key of Object.keys(tree).sort()) {
    const value = tree[key]!;
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (isConfigObject(value) && Object.keys(value).length > 0) out.push(...flattenConfig(value, path));
    else out.push([path, value]);
  }
  return out;
}
