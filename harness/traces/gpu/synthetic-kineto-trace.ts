import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { createRng } from '../../util/rng.js';

/**
 * Writes a synthetic torch.profiler (Kineto) trace of about `targetBytes`, shaped like a real one:
 * per step, CPU ops with their argument shapes, CUDA runtime launches, kernels on a compute
 * stream and NCCL kernels on a communication stream that overlap them, memcpys, and the
 * ProfilerStep / forward / backward annotations. Used to measure streaming speed and memory on
 * inputs far larger than any public sample. Not data: never used as a recorded run.
 */
export interface SyntheticKinetoTraceOptions {
  readonly targetBytes: number;
  readonly seed?: number;
  readonly gzip?: boolean;
  readonly rank?: number;
  readonly worldSize?: number;
}

export interface SyntheticKinetoTraceFacts {
  readonly bytes: number;
  readonly events: number;
  /** Events with cat 'kernel'. */
  readonly kernels: number;
  /** Events with cat 'gpu_memcpy'. */
  readonly memcpys: number;
  readonly steps: number;
}

const KERNEL_NAMES = [
  'sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas',
  'void flash::flash_fwd_kernel<Flash_fwd_kernel_traits<128, 128, 64, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<128, 128, 64, 4, cutlass::bfloat16_t> >, false, true, false, false, false, true, false, false>(flash::Flash_fwd_params)',
  'void at::native::vectorized_elementwise_kernel<4, at::native::CUDAFunctor_add<c10::BFloat16>, at::detail::Array<char*, 3> >(int, at::native::CUDAFunctor_add<c10::BFloat16>, at::detail::Array<char*, 3>)',
  'void at::native::(anonymous namespace)::cunn_SoftMaxForward<4, float, float, float, at::native::(anonymous namespace)::SoftMaxForwardEpilogue>(float*, float const*, int)',
  'triton_red_fused__to_copy_add_mean_mul_pow_rsqrt_0',
];
const NCCL_NAME = 'ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevKernelArgsStorage<4096ul>)';

export async function writeSyntheticKinetoTrace(path: string, options: SyntheticKinetoTraceOptions): Promise<SyntheticKinetoTraceFacts> {
  const rng = createRng(options.seed ?? 1);
  const rank = options.rank ?? 0;
  const file = createWriteStream(path);
  const gzip = options.gzip ? createGzip({ level: 1 }) : undefined;
  if (gzip) gzip.pipe(file);
  const sink = gzip ?? file;
  let bytes = 0;
  let events = 0;
  let kernels = 0;
  let memcpys = 0;
  let steps = 0;
  let pending: string[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    pendingBytes = 0;
    if (!sink.write(text)) await once(sink, 'drain');
  };
  const emit = async (text: string) => {
    pending.push(text);
    pendingBytes += text.length;
    bytes += Buffer.byteLength(text);
    if (pendingBytes > 1 << 20) await flush();
  };
  const event = async (fields: string) => {
    await emit(`${events === 0 ? '' : ',\n'}  {${fields}}`);
    events++;
  };

  await emit(
    `{\n  "schemaVersion": 1,\n  "deviceProperties": [\n    {"id": 0, "name": "NVIDIA H100 80GB HBM3", "totalGlobalMem": 85029158912, "computeMajor": 9, "computeMinor": 0, "numSms": 132}\n  ],\n` +
      `  "distributedInfo": {"backend": "nccl", "rank": ${rank}, "world_size": ${options.worldSize ?? 8}},\n  "traceEvents": [\n`,
  );
  const footer = `\n  ],\n  "traceName": "synthetic.json",\n  "displayTimeUnit": "ms",\n  "baseTimeNanoseconds": 1700000000000000000\n}\n`;
  let cpuTs = 1_700_000_000_000_000;
  let gpuTs = cpuTs + 50;
  let externalId = 1;
  while (bytes + footer.length < options.targetBytes) {
    const step = steps++;
    const stepStart = cpuTs;
    const kernelsThisStep = 200;
    for (let k = 0; k < kernelsThisStep; k++) {
      const id = externalId++;
      const name = KERNEL_NAMES[k % KERNEL_NAMES.length] as string;
      const cpuDur = 5 + rng.int(20);
      await event(
        `"ph": "X", "cat": "cpu_op", "name": "aten::${k % 2 ? 'mm' : 'add'}", "pid": 4242, "tid": 4242, "ts": ${cpuTs}.${rng.int(1000)}, "dur": ${cpuDur}.${rng.int(1000)}, "args": {"External id": ${id}, "Record function id": 0, "Sequence number": ${id}, "Fwd thread id": 0, "Ev Idx": ${events}, "Input Dims": [[4096, 4096], [4096, 4096]], "Input type": ["c10::BFloat16", "c10::BFloat16"], "Input Strides": [[4096, 1], [4096, 1]], "Concrete Inputs": ["", ""]}`,
      );
      await event(
        `"ph": "X", "cat": "cuda_runtime", "name": "cudaLaunchKernel", "pid": 4242, "tid": 4242, "ts": ${cpuTs + 2}.${rng.int(1000)}, "dur": 3.${rng.int(1000)}, "args": {"External id": ${id}, "cbid": 211, "correlation": ${id}}`,
      );
      await event(`"ph": "s", "id": ${id}, "pid": 4242, "tid": 4242, "ts": ${cpuTs + 2}, "cat": "ac2g", "name": "ac2g"`);
      const dur = 8 + rng.int(60);
      await event(
        `"ph": "X", "cat": "kernel", "name": ${JSON.stringify(name)}, "pid": 0, "tid": 7, "ts": ${gpuTs}.${rng.int(1000)}, "dur": ${dur}.${rng.int(1000)}, "args": {"External id": ${id}, "queued": 0, "device": 0, "context": 1, "stream": 7, "correlation": ${id}, "registers per thread": 128, "shared memory": 49152, "blocks per SM": 1.939394, "warps per SM": 7.757576, "grid": [256, 1, 1], "block": [128, 1, 1], "est. achieved occupancy %": 12}`,
      );
      await event(`"ph": "f", "id": ${id}, "pid": 0, "tid": 7, "ts": ${gpuTs}, "cat": "ac2g", "name": "ac2g", "bp": "e"`);
      kernels++;
      if (k % 20 === 10) {
        await event(
          `"ph": "X", "cat": "kernel", "name": ${JSON.stringify(NCCL_NAME)}, "pid": 0, "tid": 20, "ts": ${gpuTs + 3}.${rng.int(1000)}, "dur": ${40 + rng.int(100)}.${rng.int(1000)}, "args": {"External id": ${id}, "device": 0, "stream": 20, "correlation": ${id + 1_000_000}}`,
        );
        kernels++;
      }
      if (k % 50 === 0) {
        await event(
          `"ph": "X", "cat": "gpu_memcpy", "name": "Memcpy HtoD (Pinned -> Device)", "pid": 0, "tid": 7, "ts": ${gpuTs + dur + 1}.${rng.int(1000)}, "dur": 4.${rng.int(1000)}, "args": {"External id": ${id}, "device": 0, "context": 1, "stream": 7, "correlation": ${id + 2_000_000}, "bytes": 1048576, "memory bandwidth (GB/s)": 25.1}`,
        );
        memcpys++;
      }
      cpuTs += cpuDur + 4;
      gpuTs += dur + 2 + rng.int(4) + (k % 50 === 0 ? 8 : 0);
    }
    await event(`"ph": "X", "cat": "user_annotation", "name": "ProfilerStep#${step}", "pid": 4242, "tid": 4242, "ts": ${stepStart}, "dur": ${cpuTs - stepStart}, "args": {"External id": ${externalId++}}`);
    await event(`"ph": "X", "cat": "user_annotation", "name": "## backward ##", "pid": 4242, "tid": 4242, "ts": ${stepStart + 10}, "dur": ${cpuTs - stepStart - 20}`);
    await event(`"ph": "X", "cat": "gpu_user_annotation", "name": "ProfilerStep#${step}", "pid": 0, "tid": 7, "ts": ${stepStart + 50}, "dur": ${gpuTs - stepStart - 50}, "args": {"device": 0}`);
    cpuTs = Math.max(cpuTs, gpuTs) + 100;
    gpuTs = cpuTs + 50;
  }
  await emit(footer);
  await flush();
  sink.end();
  await once(file, 'close');
  return { bytes, events, kernels, memcpys, steps };
}
