import type { GpuUtilizationSamples } from './types.js';

/** Collects one device's samples in arrival order and freezes them sorted by time. */
export class SampleSeriesBuilder {
  private readonly tS: number[] = [];
  private readonly utilization: number[] = [];
  private readonly memoryUsedBytes: number[] = [];
  private readonly powerW: number[] = [];
  private sawMemory = false;
  private sawPower = false;
  outOfOrder = false;

  constructor(readonly metric: string) {}

  add(tS: number, utilization: number, memoryUsedBytes = NaN, powerW = NaN): void {
    if (this.tS.length > 0 && tS < (this.tS[this.tS.length - 1] as number)) this.outOfOrder = true;
    this.tS.push(tS);
    this.utilization.push(utilization);
    this.memoryUsedBytes.push(memoryUsedBytes);
    this.powerW.push(powerW);
    if (!Number.isNaN(memoryUsedBytes)) this.sawMemory = true;
    if (!Number.isNaN(powerW)) this.sawPower = true;
  }

  get count(): number {
    return this.tS.length;
  }

  freeze(): GpuUtilizationSamples {
    const order = this.tS.map((_, i) => i);
    if (this.outOfOrder) order.sort((a, b) => (this.tS[a] as number) - (this.tS[b] as number) || a - b);
    const pick = (values: number[]) => Float64Array.from(order, (i) => values[i] as number);
    return {
      metric: this.metric,
      tS: pick(this.tS),
      utilization: pick(this.utilization),
      ...(this.sawMemory ? { memoryUsedBytes: pick(this.memoryUsedBytes) } : {}),
      ...(this.sawPower ? { powerW: pick(this.powerW) } : {}),
    };
  }
}

/** "N/A", "[N/A]", "[Not Supported]", "" → true. */
export function isMissingValue(text: string): boolean {
  return text === '' || /^\[?(N\/A|Not Supported|Unknown Error|Requested functionality has been deprecated)\]?$/i.test(text.trim());
}
