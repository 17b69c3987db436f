import { readFile } from 'node:fs/promises';
import { inputError, type InputProblem, InputError } from '../../util/input-error.js';
import type { GpuOpKind } from './types.js';
import { lineColumnAt } from '../../util/json-input.js';

/**
 * Kernel classes by name: one ordered table of rules, first match wins. Users extend it with a
 * JSON file (`--kernel-classes file.json`) whose rules are tried before these, so they can both
 * add classes (e.g. 'moe') and re-route a kernel the defaults put elsewhere.
 */
export interface KernelClassRule {
  readonly kernelClass: string;
  /** Matched against the kernel name; absent means "every op of `kinds`". */
  readonly pattern?: RegExp;
  /** Op kinds the rule applies to; absent means all. */
  readonly kinds?: readonly GpuOpKind[];
  /** Where the rule came from (a file and rule index, or 'default'). */
  readonly origin: string;
}

export const KERNEL_CLASS_OTHER = 'other';

/** The default classes, in the order reports list them. */
export const DEFAULT_KERNEL_CLASSES = ['gemm', 'attention', 'nccl', 'elementwise', 'memcpy', KERNEL_CLASS_OTHER] as const;

function rule(kernelClass: string, pattern: RegExp | undefined, kinds?: readonly GpuOpKind[]): KernelClassRule {
  return { kernelClass, ...(pattern ? { pattern } : {}), ...(kinds ? { kinds } : {}), origin: 'default' };
}

/**
 * The default table. Order matters: copies and sets go by kind; collectives before everything
 * (NCCL kernel names contain "Reduce"/"Gather"); attention before GEMM (FlashAttention and
 * CUTLASS FMHA kernels contain "gemm"/"cutlass"); GEMM before element-wise.
 * 'gemm' includes cuDNN convolutions, which run as implicit GEMMs; "fbgemm" (a library name,
 * e.g. fbgemm_gpu embedding kernels) is not a GEMM by itself.
 * 'memcpy' holds memory copies and memsets.
 */
export const DEFAULT_KERNEL_CLASS_RULES: readonly KernelClassRule[] = [
  rule('memcpy', undefined, ['memcpy', 'memset']),
  rule('memcpy', /^\[CUDA mem(cpy|set)|^Mem(cpy|set)\b/i),
  rule('nccl', /nccl|rccl|cross_device_reduce|custom_all_?reduce|one_shot_all_reduce|two_shot_all_reduce|allreduce_kernel|all_gather_kernel/i),
  rule('attention', /flash|fmha|attention|attn|\bmha\b|sdpa|flashinfer|xformers|cudnn_generated_fort_native_sdpa/i),
  rule(
    'gemm',
    /(?<!fb)gemm|gemv|matmul|\bbmm|cublas|cutlass|xmma|nvjet|wgmma|Cijk_|splitK|scudnn|implicit_convolve|dgrad|wgrad|fprop|conv2d|convolution|winograd/i,
  ),
  rule(
    'elementwise',
    /elementwise|reduce_kernel|multi_tensor_apply|softmax|layer_?norm|rms_?norm|batch_?norm|group_?norm|\bbn_(fw|bw)|dropout|gelu|silu|swiglu|relu|sigmoid|tanh|rotary|rope|fill|copy_kernel|CatArrayBatchedCopy|nchwToNhwc|nhwcToNchw|transpose|index_(select|put)|scatter|gather|triton_(poi|red|per)_|pointwise|cast_kernel|add_kernel|mul_kernel/i,
  ),
];

/** Classifies op names against a rule table, caching one answer per distinct (kind, name). */
export class KernelClassifier {
  readonly classes: readonly string[];
  private readonly classIndexByName = new Map<string, number>();
  /** One cache per op kind, keyed by name (no per-lookup key strings to build and hash). */
  private readonly cache: Record<GpuOpKind, Map<string, number>> = { kernel: new Map(), memcpy: new Map(), memset: new Map() };

  constructor(readonly rules: readonly KernelClassRule[] = DEFAULT_KERNEL_CLASS_RULES) {
    const classes: string[] = [];
    const add = (name: string) => {
      if (!this.classIndexByName.has(name)) {
        this.classIndexByName.set(name, classes.length);
        classes.push(name);
      }
    };
    for (const name of DEFAULT_KERNEL_CLASSES) add(name);
    for (const r of rules) add(r.kernelClass);
    if (classes.length > 255) throw new Error('more than 255 kernel classes');
    this.classes = classes;
  }

  classIndex(kind: GpuOpKind, name: string): number {
    const cache = this.cache[kind];
    const cached = cache.get(name);
    if (cached !== undefined) return cached;
    let found = this.classIndexByName.get(KERNEL_CLASS_OTHER) as number;
    for (const r of this.rules) {
      if (r.kinds && !r.kinds.includes(kind)) continue;
      if (r.pattern && !r.pattern.test(name)) continue;
      found = this.classIndexByName.get(r.kernelClass) as number;
      break;
    }
    // Distinct names are few in real traces; a pathological trace must not grow the cache without bound.
    if (cache.size < 100_000) cache.set(name, found);
    return found;
  }

  classify(kind: GpuOpKind, name: string): string {
    return this.classes[this.classIndex(kind, name)] as string;
  }
}

const CLASS_NAME = /^[a-z][a-z0-9_-]{0,31}$/;
const OP_KINDS: readonly GpuOpKind[] = ['kernel', 'memcpy', 'memset'];
const ALLOWED_FLAGS = /^[imsu]*$/;

/**
 * Validates a user's kernel-class file:
 * `{ "rules": [ { "class": "moe", "pattern": "moe_align|topk", "flags": "i", "kinds": ["kernel"] } ] }`.
 * Returns its rules followed by the defaults.
 */
export function parseKernelClassRules(text: string, file: string): KernelClassRule[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? lineColumnAt(text, Number(position[1])) : {};
    throw inputError({ file, ...where, message: `not valid JSON: ${message}` });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document) || !Array.isArray((document as { rules?: unknown }).rules)) {
    throw inputError({ file, field: 'rules', message: 'expected an object with a "rules" array: { "rules": [ { "class": "moe", "pattern": "moe|topk" } ] }' });
  }
  const problems: InputProblem[] = [];
  const rules: KernelClassRule[] = [];
  ((document as { rules: unknown[] }).rules).forEach((entry, index) => {
    const at = `rules[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push({ file, field: at, value: entry, message: 'a rule must be an object with "class" and "pattern"' });
      return;
    }
    const { class: kernelClass, pattern, flags, kinds, ...rest } = entry as Record<string, unknown>;
    for (const key of Object.keys(rest)) problems.push({ file, field: `${at}.${key}`, message: 'unknown key (allowed: class, pattern, flags, kinds)' });
    if (typeof kernelClass !== 'string' || !CLASS_NAME.test(kernelClass)) {
      problems.push({ file, field: `${at}.class`, value: kernelClass, message: 'must be a lower-case name of 1–32 letters, digits, "_" or "-", starting with a letter' });
    }
    if (flags !== undefined && (typeof flags !== 'string' || !ALLOWED_FLAGS.test(flags))) {
      problems.push({ file, field: `${at}.flags`, value: flags, message: 'allowed regular-expression flags are i, m, s, u' });
    }
    let regex: RegExp | undefined;
    if (typeof pattern !== 'string' || pattern.length === 0) {
      problems.push({ file, field: `${at}.pattern`, value: pattern, message: 'must be a non-empty regular expression string' });
    } else {
      try {
        regex = new RegExp(pattern, typeof flags === 'string' && ALLOWED_FLAGS.test(flags) ? flags : '');
      } catch (error) {
        problems.push({ file, field: `${at}.pattern`, value: pattern, message: `not a valid regular expression: ${(error as Error).message}` });
      }
    }
    let kindList: GpuOpKind[] | undefined;
    if (kinds !== undefined) {
      if (!Array.isArray(kinds) || kinds.length === 0 || !kinds.every((k) => OP_KINDS.includes(k as GpuOpKind))) {
        problems.push({ file, field: `${at}.kinds`, value: kinds, message: 'must be a non-empty array of "kernel", "memcpy", "memset"' });
      } else kindList = kinds as GpuOpKind[];
    }
    if (regex && typeof kernelClass === 'string' && CLASS_NAME.test(kernelClass)) {
      rules.push({ kernelClass, pattern: regex, ...(kindList ? { kinds: kindList } : {}), origin: `${file} ${at}` });
    }
  });
  if (problems.length > 0) throw new InputError(problems);
  return [...rules, ...DEFAULT_KERNEL_CLASS_RULES];
}

export async function loadKernelClassRules(file: string): Promise<KernelClassRule[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw inputError({ file, message: `cannot read the kernel-class file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
  }
  return parseKernelClassRules(text, file);
}
