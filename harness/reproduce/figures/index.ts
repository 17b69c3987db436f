import type { PaperId } from '../paper-id.js';
import { rlhflessFigures } from './rlhfless.js';
import { rlhfuseFigures } from './rlhfuse.js';
import type { FigureComputation } from './types.js';

/** Every figure the reproduction computes, by paper (a test checks it matches the simulated figures of baselines/paper). */
export const figureComputations: readonly FigureComputation[] = [...rlhfuseFigures, ...rlhflessFigures];

export function figuresOf(papers: readonly PaperId[]): FigureComputation[] {
  return figureComputations.filter((figure) => papers.includes(figure.paper));
}

export function findFigure(id: string): FigureComputation | undefined {
  return figureComputations.find((figure) => figure.id === id);
}
