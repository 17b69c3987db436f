import { InputError } from '../../util/input-error.js';
import { pathFixHint, resolveWrittenPath } from '../../util/written-path.js';
import type { ModelSpec } from '../types.js';
import { loadCustomModel } from './custom.js';
import { modelById, type IdSite } from './index.js';

/**
 * A scenario (or a flag) names a model by catalog id ('qwen3-30b-a3b') or by a path to a JSON file
 * ending in `.json`: a Hugging Face config.json or the project's custom model format
 * (custom.ts), relative to the file that names it. Files are read once, where the scenario is
 * loaded (`loadModelReferences`); the simulation then looks models up without I/O
 * (`resolveModelReference`).
 */

/** Models read from files, by the reference string the scenario wrote. */
export type LoadedModels = Readonly<Record<string, ModelSpec>>;

export function isModelPath(reference: string): boolean {
  return /\.json$/i.test(reference.trim());
}

/** The file a path reference points at: relative to the naming file's folder (or the working directory), or `package:<path>` in the package. */
export function modelPathFrom(reference: string, namingFile: string | undefined): string {
  return resolveWrittenPath(reference.trim(), namingFile);
}

/**
 * Reads every path reference once. A missing or unreadable file is reported at `siteOf(reference)`
 * (the field that names it); a bad field inside the file is reported in the file itself.
 */
export async function loadModelReferences(references: readonly string[], namingFile: string | undefined, siteOf: (reference: string) => IdSite): Promise<LoadedModels> {
  const loaded: Record<string, ModelSpec> = {};
  const problems: InputError[] = [];
  for (const reference of [...new Set(references)].filter(isModelPath).sort()) {
    const path = modelPathFrom(reference, namingFile);
    try {
      loaded[reference] = await loadCustomModel(path);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const unreadable = error.problems.length === 1 && error.problems[0]!.file === path && error.problems[0]!.line === undefined;
      problems.push(unreadable ? new InputError({ ...siteOf(reference), field: siteOf(reference).field ?? 'model', value: reference, message: `${error.problems[0]!.message} (${path}): ${pathFixHint('a model path', namingFile)}` }) : error);
    }
  }
  if (problems.length > 0) throw new InputError(problems.flatMap((e) => e.problems));
  return loaded;
}

/** The model a reference names: a loaded file's model, else a catalog model (an unknown id is an InputError at `site`). */
export function resolveModelReference(reference: string, loaded: LoadedModels | undefined, site: IdSite): ModelSpec {
  if (isModelPath(reference)) {
    const model = loaded?.[reference];
    if (!model) throw new InputError({ ...site, field: site.field ?? 'model', value: reference, message: 'a model file path must be read where the scenario is loaded (loadScenario); it was not' });
    return model;
  }
  return modelById(reference, site);
}
