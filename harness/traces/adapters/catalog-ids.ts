/**
 * Maps the names public profiles use for GPUs and models to the ids of the project's catalog
 * (harness/cost/catalog). A name with no mapping is kept as written and the reader says so in
 * its notes, so a new SKU shows up as a visible gap instead of a silent mismatch.
 */

/** Vidur `compute/<sku>` and `network/<node>` folder names. Vidur profiled DGX A100 80GB and DGX H100 (SXM) nodes. */
export const VIDUR_DEVICE_IDS: Readonly<Record<string, string>> = {
  a100: 'a100-80gb',
  h100: 'h100-sxm',
  a100_dgx: 'a100-80gb',
  h100_dgx: 'h100-sxm',
};

/** Vidur model folder names (Hugging Face repo names). */
export const VIDUR_MODEL_IDS: Readonly<Record<string, string>> = {
  'Llama-2-7b-hf': 'llama-2-7b',
  'Llama-2-70b-hf': 'llama-2-70b',
  'Meta-Llama-3-8B': 'llama-3-8b',
  'Meta-Llama-3-70B': 'llama-3-70b',
};

/** SplitwiseSim `hardware` values: DGX-A100 80GB, DGX-H100 (SXM), and DGX-H100 power-capped. */
export const SPLITWISE_DEVICE_IDS: Readonly<Record<string, string>> = {
  'a100-80gb': 'a100-80gb',
  'h100-80gb': 'h100-sxm',
  'h100-80gb-pcap': 'h100-sxm-powercapped',
};

/** SplitwiseSim `model` values. */
export const SPLITWISE_MODEL_IDS: Readonly<Record<string, string>> = {
  'llama2-70b': 'llama-2-70b',
  'bloom-176b': 'bloom-176b',
};

/** Looks a name up; unmapped names come back unchanged with `mapped: false`. */
export function catalogId(table: Readonly<Record<string, string>>, name: string): { id: string; mapped: boolean } {
  const id = Object.hasOwn(table, name) ? table[name] : undefined;
  return id === undefined ? { id: name, mapped: false } : { id, mapped: true };
}
