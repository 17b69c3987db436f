import { compile, type TopLevelSpec } from 'vega-lite';
import type { Spec as VegaSpec } from 'vega';

/** A Vega-Lite specification as the chart builders produce it (data inline, no URLs). */
export type VegaLiteSpec = TopLevelSpec;
export type { VegaSpec };

export interface CompiledChart {
  readonly spec: VegaSpec;
  /** Vega-Lite's warnings (a spec builder that produces any has a bug; tests assert none). */
  readonly warnings: readonly string[];
}

/** Compiles Vega-Lite to Vega in Node, collecting warnings instead of printing them; errors throw. */
export function compileVegaLite(spec: VegaLiteSpec): CompiledChart {
  const warnings: string[] = [];
  let level = 0;
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error(...args: readonly unknown[]): never {
      throw new Error(`vega-lite: ${args.map(String).join(' ')}`);
    },
    warn(...args: readonly unknown[]) {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  const compiled = compile(spec, { logger }).spec as VegaSpec;
  return { spec: compiled, warnings };
}
