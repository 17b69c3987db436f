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
  calibrationAliasKind: 'same-silicon',
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
  calibrationAliasKind: 'same-silicon',
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
  calibrationAliasKind: 'same-silicon',
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
  calibrationAliasKind: 'other-family',
  sources: [
    `${REF} §1 ⚠ unverified (S): ≈ 148 TFLOPS bf16, 4,000 GB/s HBM3, 96 GB, NVLink 900 GB/s bidirectional (450 per direction), PCIe Gen5`,
    '⚠ still unverified: NVIDIA publishes no H20 datasheet this project can cite (its public docs name the product — DCGM lists "NVIDIA H20" — without figures); the figures above are the secondary sources of the reference, which agree with each other (e.g. huggingface.co/hardware/h20: 96 GB, 148 TFLOPS)',
    `${REF} §1: inter-node network not reported — assumed 8 × 400 Gb/s as a DGX H100`,
    'price: not in the reference — placeholder equal to H100 SXM ($6.88/GPU-h); do not draw cost conclusions for H20',
    'kernel efficiencies: borrowed from the h100-sxm calibration across families — Hopper silicon, but at ≈ 15 % of the H100\'s FLOP/s its ridge point is 37 FLOP/byte instead of 295, so kernels fitted on H100 shapes land on the other side of the roofline',
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
  calibrationAliasKind: 'other-family',
  sources: [
    `${REF} §1: 362 TFLOPS bf16 dense (733 with sparsity), 864 GB/s GDDR6, 48 GB, no NVLink (all GPU traffic over PCIe Gen4 x16, 32 GB/s per direction)`,
    `${REF} §1: g6e.48xlarge 400 Gbps network (vendor listing †)`,
    `${REF} §2: g6e.48xlarge $30.131/h for 8 L40S = $3.77/GPU-h`,
    'kernel efficiencies: borrowed from the a100-80gb calibration (no public L40S profile; Ada and Ampere share the tensor-core generation of cuBLAS kernels)',
  ],
};

const PRICE_PLACEHOLDER = 'price: not in the reference — placeholder equal to H100 SXM ($6.88/GPU-h, p5 after the June-2025 cut); do not draw cost conclusions for this GPU';

/**
 * AMD Instinct MI300X (OAM, 8 per node). runs.csv r00–r05 say "AMD MI300", as veRL's
 * docs/algo/baseline.md does: treated as the MI300X, the MI300-series GPU of 8-GPU servers (the
 * MI300A is the CPU+GPU APU of HPC systems).
 */
export const MI300X: GpuSpec = {
  id: 'mi300x',
  name: 'AMD Instinct MI300X 192GB',
  bf16FlopsPerS: 1307.4 * TFLOPS,
  hbmBytesPerS: 5300 * GB,
  memoryBytes: 192 * GIB,
  // 7 Infinity Fabric links to the 7 peers, 64 GB/s per direction each.
  intraNodeLink: { kind: 'infinity-fabric', bytesPerSPerDirection: 7 * 64 * GB },
  hostLinkBytesPerSPerDirection: 64 * GB,
  interNodeBytesPerSPerNode: 8 * 400 * GBIT,
  gpusPerNode: 8,
  priceUsdPerGpuHour: 6.88,
  priceDate: '2025-06',
  calibrationAlias: 'h100-sxm',
  calibrationAliasKind: 'other-family',
  sources: [
    'AMD ROCm documentation, MI300 series microarchitecture (ROCm/ROCm docs/conceptual/gpu-arch/mi300.md @e396b48), "Peak-performance capabilities of the MI300X": Matrix BF16 1307.4 TFLOPS (dense; FP8 2614.9), "theoretical aggregated peak memory bandwidth of the GPU is 5.3 TB per second"; node level: 8 MI300X OAMs on PCIe Gen 5 x16 to the host, "seven high-bandwidth, low-latency AMD Infinity Fabric links … to form a fully connected 8-GPU system"',
    'AMD ROCm documentation, GPU specifications (ROCm/ROCm docs/reference/gpu-arch-specs.rst @e396b48): MI300X VRAM 192 GiB',
    'Infinity Fabric per link: 128 GB/s bidirectional = 64 GB/s per direction (S: AMD\'s product-page figure as quoted by third parties, e.g. emergentmind.com "up to 128 GB/s bidirectional per link"; not in the ROCm pages above); 7 links per GPU → 448 GB/s per direction to all peers together [D]; a ring collective reaches it only when RCCL spreads its rings over every link',
    'inter-node network: not in AMD\'s pages — assumed 8 × 400 Gb/s per node as a DGX H100',
    'runs.csv r00–r05 "AMD MI300" (veRL docs/algo/baseline.md): treated as the MI300X',
    PRICE_PLACEHOLDER,
    'kernel efficiencies: borrowed from the h100-sxm calibration across families (CDNA 3, ROCm kernels): no public MI300X kernel profile',
  ],
};

export const H200: GpuSpec = {
  ...H100_SXM,
  id: 'h200',
  name: 'NVIDIA H200 SXM 141GB',
  hbmBytesPerS: 4800 * GB,
  memoryBytes: 141 * GIB,
  priceUsdPerGpuHour: 6.88,
  priceDate: '2025-06',
  calibrationAlias: 'h100-sxm',
  calibrationAliasKind: 'same-silicon',
  sources: [
    'NVIDIA\'s MLPerf Inference v4.1 system description (mlcommons/inference_results_v4.1 closed/NVIDIA/systems/H200-SXM-141GBx8_TRT_MaxQ.json): NVIDIA H200-SXM-141GB, 141 GB HBM3e, "18x 4th Gen NVLink, 900GB/s" (450 per direction), PCIe Gen5 x16, 8 GPUs per node',
    'NVIDIA H200 datasheet (S, as quoted e.g. in github.com/alpharomercoma/MI300X-vs-H200 METHODOLOGY.md): BF16 dense 989.4 TFLOPS (1,979 with sparsity; the H100 SXM\'s GH100 tensor cores), 4.8 TB/s',
    'inter-node network: the MLPerf system lists 10 × 400 Gb/s InfiniBand (8 compute + storage) — 8 × 400 Gb/s used, as a DGX H100',
    '141 GB read as GiB like the catalog\'s other marketed capacities',
    PRICE_PLACEHOLDER,
    'kernel efficiencies: borrowed from the h100-sxm calibration (same GH100 silicon, more and faster HBM)',
  ],
};

/** One Blackwell GPU of a GB200 superchip in an NVL72 rack: the NVLink domain (72 GPUs) is the "node". */
export const GB200: GpuSpec = {
  id: 'gb200',
  name: 'NVIDIA GB200 (one Blackwell GPU, NVL72)',
  bf16FlopsPerS: 2500 * TFLOPS,
  hbmBytesPerS: 8000 * GB,
  memoryBytes: 186 * GIB,
  intraNodeLink: { kind: 'nvlink', bytesPerSPerDirection: 900 * GB },
  // NVLink-C2C to the Grace CPU, 900 GB/s bidirectional per superchip shared by its 2 GPUs.
  hostLinkBytesPerSPerDirection: 225 * GB,
  interNodeBytesPerSPerNode: 72 * 400 * GBIT,
  gpusPerNode: 72,
  priceUsdPerGpuHour: 6.88,
  priceDate: '2025-06',
  calibrationAlias: 'h100-sxm',
  calibrationAliasKind: 'other-family',
  sources: [
    'NVIDIA GB200 per-GPU figures (S, as quoted in glennklockwood.com/garden/processors/B200 from NVIDIA\'s Blackwell datasheet): BF16 2,500 TFLOPS dense (5,000 with sparsity) at 1,200 W, HBM3e up to 8 TB/s',
    'GPU memory: 186 GB HBM3e per GPU (MLPerf Inference v6.1 system description mlcommons/inference_results_v6.1 closed/Crusoe/systems/GB200-NVL72_GB200-186GB_aarch64x16_Dynamo.json), read as GiB like the catalog\'s other capacities',
    'NVLink 5: 1.8 TB/s bidirectional per GPU = 900 GB/s per direction, 72 GPUs in one NVLink domain (S: NVIDIA GB200 NVL72 figures as quoted e.g. by verda.com, "All Blackwell GPUs feature fifth-generation NVLink with 1.8 TB/s total bandwidth (900 GB/s unidirectional)")',
    'host link: NVLink-C2C 900 GB/s bidirectional per Grace–Blackwell superchip (2 GPUs) → 225 GB/s per GPU per direction [D]',
    'network: one 400 Gb/s ConnectX-7 per GPU (the MLPerf GB200 system above: 4 per 4-GPU tray) → 72 × 400 Gb/s per NVLink domain',
    PRICE_PLACEHOLDER,
    'kernel efficiencies: borrowed from the h100-sxm calibration across families (Blackwell): no public GB200 kernel profile',
  ],
};

/** Every catalog GPU, in the order reports list them. */
export const GPU_CATALOG: readonly GpuSpec[] = [A100_80GB, A800, H100_SXM, H100_SXM_POWERCAPPED, H800, H20, L40S, MI300X, H200, GB200];
