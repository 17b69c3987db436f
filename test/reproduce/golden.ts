import { expectGolden } from '../report/charts/chart-test-kit.js';

/**
 * Compares a chart spec of the reproduction report with `test/reproduce/golden/<name>.vl.json`,
 * through chart-test-kit's golden check (normalised JSON; a mismatch writes `.new` beside the
 * golden and fails; UPDATE_GOLDEN=1 accepts). The goldens live beside these tests.
 */
export function expectReportGolden(name: string, spec: unknown): void {
  expectGolden(`../../../reproduce/golden/${name}`, spec);
}
