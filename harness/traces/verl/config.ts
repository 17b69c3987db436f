import { flattenConfig, sameConfigValue, showConfigValue, type ConfigValue } from './config-value.js';
import { VERL_DEFAULTS, VERL_DEFAULTS_CONFIG_NAME, VERL_DEFAULTS_SOURCE } from './defaults.js';
import type { HydraOverride } from './hydra-overrides.js';
import type { VerlLaunch } from './launch-command.js';
import type { PrintedConfig } from './printed-config.js';

/** Where a configuration value came from, most trusted first. */
export type ConfigSource = 'printed-config' | 'command' | 'default';

export interface ConfigEntry {
  readonly value: ConfigValue;
  readonly source: ConfigSource;
  /** Log line of the printed dict or of the override that gave the value. */
  readonly line?: number;
}

/** A key the launch command sets to one value and the printed (resolved) config shows with another, or lacks. */
export interface ConfigDisagreement {
  readonly key: string;
  readonly command: ConfigValue;
  /** Undefined when the printed config lacks the key. */
  readonly printed?: ConfigValue;
  readonly line: number;
}

/**
 * A run's configuration as one flat map of dotted keys. The printed dict is the resolved config
 * veRL ran with, so it wins; the command fills only keys the dict does not have (all of them when
 * the log prints no dict; keys on lines lost from a damaged dict). veRL's defaults (defaults.ts)
 * fill what neither gives, only for a log without a printed dict that uses the default config file.
 */
export interface VerlConfig {
  readonly values: Readonly<Record<string, ConfigEntry>>;
  readonly disagreements: readonly ConfigDisagreement[];
  readonly notes: readonly string[];
}

export function buildVerlConfig(launch: VerlLaunch | undefined, printed: PrintedConfig | undefined): VerlConfig {
  const notes: string[] = [];
  const commandValues = applyOverrides(launch?.overrides ?? [], notes);
  const values = new Map<string, ConfigEntry>();
  const disagreements: ConfigDisagreement[] = [];
  if (printed) {
    for (const [key, value] of flattenConfig(printed.tree)) values.set(key, { value, source: 'printed-config', line: printed.line });
    for (const [key, { value, line }] of commandValues) {
      const shown = values.get(key);
      if (shown === undefined && hasDescendant(values, key)) continue;
      if (shown === undefined) {
        values.set(key, { value, source: 'command', line });
        if (printed.complete) disagreements.push({ key, command: value, line });
        continue;
      }
      if (!sameConfigValue(value, shown.value)) disagreements.push({ key, command: value, printed: shown.value, line });
    }
    for (const d of disagreements)
      notes.push(
        d.printed === undefined
          ? `the command sets ${d.key}=${showConfigValue(d.command)} (line ${d.line}), which the printed config does not have; the command's value is used`
          : `the command sets ${d.key}=${showConfigValue(d.command)} (line ${d.line}) but the printed config has ${showConfigValue(d.printed)}; the printed (resolved) value is used`,
      );
    const filled = [...values.values()].filter((entry) => entry.source === 'command').length;
    if (!printed.complete && filled > 0) notes.push(`${filled} keys missing from the damaged printed config were taken from the command`);
  } else {
    for (const [key, { value, line }] of commandValues) values.set(key, { value, source: 'command', line });
    const configName = launch?.configName?.replace(/\.ya?ml$/, '');
    if (configName === undefined || configName === VERL_DEFAULTS_CONFIG_NAME) {
      let used = 0;
      for (const [key, value] of Object.entries(VERL_DEFAULTS))
        if (!values.has(key)) {
          values.set(key, { value, source: 'default' });
          used++;
        }
      if (used > 0) notes.push(`the log prints no resolved config: ${used} settings the command leaves out are veRL's defaults from ${VERL_DEFAULTS_SOURCE} (assumed: the log does not name its veRL commit)`);
    } else notes.push(`the log prints no resolved config and launches with --config-name=${launch?.configName}: settings the command leaves out are unknown`);
  }
  resolveInterpolations(values);
  const sorted = [...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { values: Object.fromEntries(sorted), disagreements, notes };
}

/** Hydra applies overrides in order: a later one wins, `~key` deletes. */
function applyOverrides(overrides: readonly HydraOverride[], notes: string[]): Map<string, { value: ConfigValue; line: number; column: number }> {
  const out = new Map<string, { value: ConfigValue; line: number; column: number }>();
  for (const override of overrides) {
    if (override.op === 'delete') {
      out.delete(override.key);
      continue;
    }
    const previous = out.get(override.key);
    if (previous && !sameConfigValue(previous.value, override.value!))
      notes.push(
        `the command sets ${override.key} twice (at ${previous.line}:${previous.column} and ${override.line}:${override.column}); the later value ${showConfigValue(override.value!)} wins, as in Hydra`,
      );
    out.set(override.key, { value: override.value!, line: override.line, column: override.column });
  }
  return out;
}

function hasDescendant(values: ReadonlyMap<string, ConfigEntry>, key: string): boolean {
  const prefix = `${key}.`;
  for (const existing of values.keys()) if (existing.startsWith(prefix)) return true;
  return false;
}

/** Replaces a whole-value `${a.b}` reference by that key's value (as OmegaConf resolves it). */
function resolveInterpolations(values: Map<string, ConfigEntry>): void {
  for (let round = 0; round < 4; round++) {
    let changed = false;
    for (const [key, entry] of values) {
      const ref = typeof entry.value === 'string' ? /^\$\{([\w.]+)\}$/.exec(entry.value) : null;
      const target = ref ? values.get(ref[1]!) : undefined;
      if (target && !(typeof target.value === 'string' && target.value.startsWith('${'))) {
        values.set(key, { ...entry, value: target.value });
        changed = true;
      }
    }
    if (!changed) return;
  }
}
