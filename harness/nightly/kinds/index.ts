import type { CaseKindRegistry } from '../../jobs/cases.js';
import { nightlyKind } from '../measure-and-compare.js';
import { benchMeasurer } from './bench.js';
import { costModelMeasurer } from './cost-model.js';
import { DEFAULT_DEPENDENCIES, type NightlyDependencies } from './dependencies.js';
import { pipelineSearchMeasurer } from './pipeline-search.js';
import { simFigureMeasurer } from './sim-figure.js';
import { traceStatsMeasurer } from './trace-stats.js';

/** The nightly's case kinds, one file each; every kind measures, and nightlyKind adds comparison and confirmation. */
export function createNightlyKinds(overrides: Partial<NightlyDependencies> = {}): CaseKindRegistry {
  const dependencies: NightlyDependencies = { ...DEFAULT_DEPENDENCIES, ...overrides };
  const measurers = [simFigureMeasurer(dependencies), costModelMeasurer(dependencies), traceStatsMeasurer, pipelineSearchMeasurer, benchMeasurer(dependencies.benchSuites)];
  return Object.fromEntries(measurers.map((measurer) => [measurer.kind, nightlyKind(measurer as never)]));
}

/** The registry workers import (by this module's URL and this export's name). */
export const nightlyCaseKinds: CaseKindRegistry = createNightlyKinds();

export const NIGHTLY_KINDS_REF = { module: import.meta.url, exportName: 'nightlyCaseKinds' } as const;
