/** The reproduced papers (also the prefix of every figure id and the `reproduce` positional). */
export const PAPERS = ['rlhfuse', 'rlhfless'] as const;
export type PaperId = (typeof PAPERS)[number];
