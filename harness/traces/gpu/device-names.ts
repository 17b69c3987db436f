/**
 * GPU names as drivers and profilers print them ("NVIDIA A100-SXM4-80GB", "NVIDIA H100 80GB HBM3",
 * "NVIDIA H800", "NVIDIA L40S") mapped to cost-model catalog ids. A name matches only when the
 * catalog entry's figures apply: PCIe/NVL variants and 40 GB A100s have other bandwidths and
 * memory, so they keep their raw name rather than borrow the SXM entry's figures.
 */
interface DeviceNameRule {
  readonly catalogId: string;
  readonly pattern: RegExp;
  readonly excluded?: RegExp;
  /** Minimum memory, bytes, when the name alone does not say (e.g. "NVIDIA A100-SXM4"). */
  readonly minMemoryBytes?: number;
}

const PCIE_OR_NVL = /pcie|\bnvl\b/i;

const DEVICE_NAME_RULES: readonly DeviceNameRule[] = [
  { catalogId: 'h800', pattern: /\bH800\b/i, excluded: PCIE_OR_NVL },
  { catalogId: 'h100-sxm', pattern: /\bH100\b/i, excluded: PCIE_OR_NVL },
  { catalogId: 'h20', pattern: /\bH20\b/i },
  { catalogId: 'l40s', pattern: /\bL40S\b/i },
  { catalogId: 'a800', pattern: /\bA800\b/i, excluded: /pcie|40GB/i },
  // "A100-SXM4-80GB" says its memory; a bare "A100-SXM4" needs deviceProperties' totalGlobalMem.
  { catalogId: 'a100-80gb', pattern: /\bA100\b.*80\s?GB/i, excluded: PCIE_OR_NVL },
  { catalogId: 'a100-80gb', pattern: /\bA100\b/i, excluded: /pcie|40\s?GB/i, minMemoryBytes: 79e9 },
];

/** The catalog id for a recorded GPU name, or undefined when no catalog entry fits it. */
export function catalogIdForGpuName(name: string, memoryBytes?: number): string | undefined {
  for (const rule of DEVICE_NAME_RULES) {
    if (!rule.pattern.test(name)) continue;
    if (rule.excluded?.test(name)) return undefined;
    if (rule.minMemoryBytes !== undefined && !(memoryBytes !== undefined && memoryBytes >= rule.minMemoryBytes)) continue;
    return rule.catalogId;
  }
  return undefined;
}
