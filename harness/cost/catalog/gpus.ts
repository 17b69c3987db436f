import type { GpuSpec } from '../types.js';

/**
 * The GPU catalog. Every figure carries its source; figures marked "assumed" are named
 * assumptions (no public figure in ../shared/reference/hardware-and-models.md) and the report
 * lists them. Memory capacities marketed as "80 GB" are binary (80 GiB: nvidia-smi reports
 * 81,920 MiB on A100-80GB), which is also how the RLHFless feasibility note reads them.
 */

const GIB = 1024 ** 3;
const GB = 1e9;
const TFLOPS = 1e12;
/** Link rates in the reference are Gb/s for NICs; ÷ 8 gives bytes. */
const GBIT = 1e9 / 8;

const REF = 'reference/hardware-and-models.md';

export const A100_80GB: GpuSpec = {
  id: 'a100-80gb',
  name: 'NVIDIA A100 80GB SXM4',
  bf16FlopsPerS: 312 * TFLOPS,
  hbmBytesPerS: 2039 * GB,
  memoryBytes: 80 * GIB,
  intraNodeLink: { kind: 'nvlink', bytesPerSPerDirection: 300 * GB },
  hostLinkBytesPerSPerDirection: 32 * GB,
  interNodeBytesPerSPerNode: 8 * 200 * GBIT,
  gpusPerNode: 8,
  priceUsdPerGpuHour: 3.9,
  priceDate: '2023',
  sources: [
    `${REF} §1: 312 TFLOPS bf16 dense, 2,039 GB/s HBM2e, 80 GB, NVLink 3 600 GB/s bidirectional (300 per direction), PCIe Gen4 x16 32 GB/s per direction`,
    `${REF} §1: 8 × 200 Gb/s InfiniBand per 8-GPU node (vendor listing †)`,
    `${REF} §2: DeepSpeed-Chat's 2023 Azure costs imply about $3.9–4.0 per A100-80GB GPU-hour [D]; the lower end is used`,
  ],
};

export const A800: GpuSpec = {
  ...A100_80GB,
  id: 'a800',
  name: 'NVIDIA A800 80GB',
  intraNodeLink: { kind: 'nvlink', bytesPerSPerDirection: 200 * GB },
  calibrationAlias: 'a100-80gb',
  sources: [
    `${REF} §1 (S): compute and memory as A100 80GB (312 TFLOPS, 2,039 GB/s, 80 GB); NVLink cut to 400 GB/s bidirectional (200 per direction)`,
    `${REF} §1: inter-node network "depends on the deployment; not reported" — assumed 8 × 200 Gb/s as the A100 DGX`,
    'price: no public figure in the reference — assumed equal to A100-80GB ($3.9/GPU-h, 2023)',
    'kernel efficiencies: borrowed from the a100-80gb calibration (same silicon)',
  ],
};

export const H100_SXM: GpuSpec = {
  id: 'h100-sxm',
  name: 'NVIDIA H100 SXM5 80GB',
  bf16FlopsPerS: 989 * TFLOPS,
  hbmBytesPerS: 3350 * GB,
  memoryBytes: 80 * GIB,
  intraNodeLink: { kind: 'nvlink', bytesPerSPerDirection: 450 * GB },
  hostLinkBytesPerSPerDirection: 64 * GB,
  interNodeBytesPerSPerNode: 8 * 400 * GBIT,
  gpusPerNode: 8,
  priceUsdPerGpuHour: 6.88,
  priceDate: '2025-06',
  sources: [
    `${REF} §1: 989 TFLOPS bf16 dense, 3,350 GB/s HBM3, 80 GB, NVLink 4 900 GB/s bidirectional (450 per direction), PCIe Gen5 x16 64 GB/s per direction`,
    `${REF} §1: 8 × 400 Gb/s InfiniBand per node (vendor listing †)`,
    `${REF} §2: p5.48xlarge $55.04/h for 8 GPUs after the June-2025 cut = $6.88/GPU-h`,
  ],
};

export const H100_SXM_POWERCAPPED: GpuSpec = {
  ...H100_SXM,
  id: 'h100-sxm-powercapped',
  name: 'NVIDIA H100 SXM5 80GB, power-capped (Splitwise)',
  calibrationAlias: 'h100-sxm',
  sources: [
    ...H100_SXM.sources,
    "SplitwiseSim perf_model.csv 'h100-80gb-pcap' rows: the same DGX-H100 run under a power cap; peak figures are the H100's and the cap shows up only in the fitted efficiencies",
  ],
};

export const H800: GpuSpec = {
  ...H100_SXM,
  id: 'h800',
  name: 'NVIDIA H800 SXM 80GB',
  intraNodeLink: { kind: 'nvlink', bytesPerSPerDirection: 200 * GB },
  interNodeBytesPerSPerNode: 8 * 200 * GBIT,
  calibrationAlias: 'h100-sxm',
  sources: [
    `${REF} §1 (S): compute and memory as H100 SXM (989 TFLOPS, 3,350 GB/s, 80 GB); NVLink cut to 400 GB/s bidirectional (200 per direction)`,
    `${REF} §1 and §5.5: 8 × 200 Gbps RoCEv2 per node (RLHFuse cluster)`,
    'price: no public figure in the reference — assumed equal to H100 SXM ($6.88/GPU-h, p5 after the June-2025 cut)',
    'kernel efficiencies: borrowed from the h100-sxm calibration (same silicon)',
  ],
};

export const H20: GpuSpec = {
  id: 'h20',
  name: 'NVIDIA H20 96GB',
  bf16FlopsPerS: 148 * TFLOPS,
  hbmBytesPerS: 4000 * GB,
  memoryBytes: 96 * GIB,
  intraNodeLink: { kind: 'nvlink', bytesPerSPerDirection: 450 * GB },
  hostLinkBytesPerSPerDirection: 64 * GB,
  interNodeBytesPerSPerNode: 8 * 400 * GBIT,
  gpusPerNode: 8,
  priceUsdPerGpuHour: 6.88,
  priceDate: '2025-06',
  calibrationAlias: 'h100-sxm',
  sources: [
    `${REF} §1 ⚠ unverified (S): ≈ 148 TFLOPS bf16, 4,000 GB/s HBM3, 96 GB, NVLink 900 GB/s bidirectional (450 per direction), PCIe Gen5`,
    `${REF} §1: inter-node network not reported — assumed 8 × 400 Gb/s as a DGX H100`,
    'price: not in the reference — placeholder equal to H100 SXM ($6.88/GPU-h); do not draw cost conclusions for H20',
    'kernel efficiencies: borrowed from the h100-sxm calibration (Hopper)',
  ],
};

export const L40S: GpuSpec = {
  id: 'l40s',
  name: 'NVIDIA L40S 48GB',
  bf16FlopsPerS: 362 * TFLOPS,
  hbmBytesPerS: 864 * GB,
  memoryBytes: 48 * GIB,
  intraNodeLink: { kind: 'pcie', bytesPerSPerDirection: 32 * GB },
  hostLinkBytesPerSPerDirection: 32 * GB,
  interNodeBytesPerSPerNode: 400 * GBIT,
  gpusPerNode: 8,
  priceUsdPerGpuHour: 3.77,
  priceDate: '2025',
  calibrationAlias: 'a100-80gb',
  sources: [
    `${REF} §1: 362 TFLOPS bf16 dense (733 with sparsity), 864 GB/s GDDR6, 48 GB, no NVLink (all GPU traffic over PCIe Gen4 x16, 32 GB/s per direction)`,
    `${REF} §1: g6e.48xlarge 400 Gbps network (vendor listing †)`,
    `${REF} §2: g6e.48xlarge $30.131/h for 8 L40S = $3.77/GPU-h`,
    'kernel efficiencies: borrowed from the a100-80gb calibration (no public L40S profile; Ada and Ampere share the tensor-core generation of cuBLAS kernels)',
  ],
};

/** Every catalog GPU, in the order reports list them. */
export const GPU_CATALOG: readonly GpuSpec[] = [A100_80GB, A800, H100_SXM, H100_SXM_POWERCAPPED, H800, H20, L40S];
