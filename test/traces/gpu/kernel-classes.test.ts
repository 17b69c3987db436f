import { describe, expect, it } from 'vitest';
import { KernelClassifier, parseKernelClassRules, DEFAULT_KERNEL_CLASSES } from '../../../harness/traces/gpu/kernel-classes.js';
import { InputError } from '../../../harness/util/input-error.js';

describe('default kernel classes', () => {
  const classifier = new KernelClassifier();
  const cases: [string, string][] = [
    ['ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevKernelArgsStorage<4096ul>)', 'nccl'],
    ['ncclKernel_SendRecv_RING_SIMPLE_Sum_int8_t(ncclDevComm*, unsigned long, ncclWork*)', 'nccl'],
    ['void vllm::cross_device_reduce_1stage<__nv_bfloat16, 8>(vllm::RankData*, vllm::RankSignals, vllm::Signal*, __nv_bfloat16*, int, int)', 'nccl'],
    ['void flash::flash_fwd_kernel<Flash_fwd_kernel_traits<128, 128, 64, 4, false, false, cutlass::bfloat16_t>>(flash::Flash_fwd_params)', 'attention'],
    ['fmha_cutlassF_f16_aligned_64x128_rf_sm80(PyTorchMemEffAttention::AttentionKernel<cutlass::half_t>::Params)', 'attention'],
    ['void vllm::paged_attention_v2_kernel<__nv_bfloat16, 128, 16, 128, 512>(float*)', 'attention'],
    ['sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas', 'gemm'],
    ['ampere_sgemm_128x64_nn', 'gemm'],
    ['nvjet_tst_192x192_64x4_2x1_v_bz_coopB_TNT', 'gemm'],
    ['Cijk_Ailk_Bjlk_SB_Bias_AS_SAV_UserArgs_MT64x16x16_MI16x16x1_SN_LDSB1_AFC1', 'gemm'],
    ['cudnn_infer_volta_scudnn_128x64_relu_medium_nn_v1', 'gemm'],
    ['void at::native::vectorized_elementwise_kernel<4, at::native::CUDAFunctor_add<float>, at::detail::Array<char*, 3> >(int)', 'elementwise'],
    ['void at::native::reduce_kernel<512, 1, at::native::ReduceOp<float, at::native::MeanOps<float, float> > >(at::native::ReduceOp<float>)', 'elementwise'],
    ['triton_poi_fused_add_mul_0', 'elementwise'],
    ['void cudnn::bn_fw_tr_1C11_kernel_NCHW<float, float, int, 128, true, 1>(cudnnTensorStruct)', 'elementwise'],
    // fbgemm is a library name, not a GEMM: its embedding kernels stay 'other'.
    ['void fbgemm_gpu::split_embedding_codegen_forward_unweighted_kernel<c10::Half, float>(at::PackedTensorAccessor64)', 'other'],
    ['void cub::DeviceRadixSortOnesweepKernel<cub::DeviceRadixSortPolicy<long, long, int>::Policy800>(int*)', 'other'],
  ];
  for (const [name, kernelClass] of cases) {
    it(`${name.slice(0, 60)} → ${kernelClass}`, () => expect(classifier.classify('kernel', name)).toBe(kernelClass));
  }

  it('classifies memory copies and sets by kind, and Nsight memory rows by name', () => {
    expect(classifier.classify('memcpy', 'Memcpy HtoD (Pinned -> Device)')).toBe('memcpy');
    expect(classifier.classify('memset', 'Memset (Device)')).toBe('memcpy');
    expect(classifier.classify('kernel', '[CUDA memcpy Device-to-Device]')).toBe('memcpy');
  });

  it('lists the default classes first, in report order', () => {
    expect(classifier.classes).toEqual([...DEFAULT_KERNEL_CLASSES]);
  });
});

describe('user kernel-class rules', () => {
  it('are tried before the defaults and may add classes', () => {
    const rules = parseKernelClassRules(
      JSON.stringify({
        rules: [
          { class: 'moe', pattern: 'moe_align|fused_moe|topk', flags: 'i' },
          { class: 'gemm', pattern: '^my_custom_kernel' },
          { class: 'h2d', pattern: 'HtoD', kinds: ['memcpy'] },
        ],
      }),
      'classes.json',
    );
    const classifier = new KernelClassifier(rules);
    expect(classifier.classify('kernel', 'void vllm::moe::moe_align_block_size_kernel<int>(int*)')).toBe('moe');
    expect(classifier.classify('kernel', 'my_custom_kernel(float*)')).toBe('gemm');
    expect(classifier.classify('memcpy', 'Memcpy HtoD (Pinned -> Device)')).toBe('h2d');
    expect(classifier.classify('kernel', 'HtoD_lookalike_kernel')).toBe('other');
    expect(classifier.classify('kernel', 'ampere_sgemm_128x64_nn')).toBe('gemm');
    expect(classifier.classes).toEqual([...DEFAULT_KERNEL_CLASSES, 'moe', 'h2d']);
  });

  function problemsOf(text: string): InputError {
    try {
      parseKernelClassRules(text, 'classes.json');
    } catch (error) {
      if (error instanceof InputError) return error;
      throw error;
    }
    throw new Error('expected an InputError');
  }

  it('are validated, every problem named with its field', () => {
    const error = problemsOf(
      JSON.stringify({
        rules: [{ class: 'Bad Name', pattern: 'x' }, { class: 'ok', pattern: '(' }, { class: 'ok', pattern: 'x', flags: 'g' }, { class: 'ok', pattern: 'x', kinds: ['gpu'] }, { class: 'ok', pattern: 'x', colour: 'red' }, 'nope'],
      }),
    );
    expect(error.problems.map((p) => p.field)).toEqual(['rules[0].class', 'rules[1].pattern', 'rules[2].flags', 'rules[3].kinds', 'rules[4].colour', 'rules[5]']);
    expect(error.problems[1]?.message).toContain('not a valid regular expression');
  });

  it('report JSON syntax errors with line and column, and a missing rules array', () => {
    const error = problemsOf('{\n  "rules": [\n    { "class": "moe" "pattern": "x" }\n  ]\n}');
    expect(error.problems[0]).toMatchObject({ file: 'classes.json', line: 3, column: 22 });
    expect(problemsOf('{"class": "moe"}').problems[0]).toMatchObject({ field: 'rules' });
  });
});
