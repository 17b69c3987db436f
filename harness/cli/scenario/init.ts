import { basename, dirname, extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { CommandFactory } from '../commands.js';
import { findGpu, findModel, GPU_CATALOG, MODEL_CATALOG } from '../../cost/catalog/index.js';
import { isModelPath, loadModelReferences } from '../../cost/catalog/model-reference.js';
import { createRooflineCostModel } from '../../cost/roofline/model.js';
import { loadCalibration } from '../../cost/calibration/load.js';
import { DEFAULT_CALIBRATION_PATH } from '../../cost/index.js';
import type { ModelSpec } from '../../cost/types.js';
import { parseScenarioObject } from '../../scenario/loader.js';
import { startingScenario } from '../../scenario/starting-scenario.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { InputError } from '../../util/input-error.js';
import { SHIPPED_SCENARIO_FOLDER } from '../../scenario/shipped.js';

interface InitArgs {
  model: string;
  gpu: string;
  nodes: number;
  'gpus-per-node'?: number;
  out?: string;
  json: boolean;
}

const COMMAND_LINE = '<command line>';
const SHIPPED_FOLDER = SHIPPED_SCENARIO_FOLDER;
const SCHEMA = resolve(SHIPPED_FOLDER, 'scenario.schema.json');

function flagError(flag: string, value: unknown, message: string): InputError {
  return new InputError({ file: COMMAND_LINE, field: `--${flag}`, value, message });
}

const posix = (path: string) => path.split(sep).join('/');

export const scenarioInitCommand: CommandFactory = (context) => ({
  command: 'init',
  describe: 'Write a starting scenario for a model (catalog id or config.json) on your GPUs: every field filled, each marked fact or assumption with what it means',
  builder: (yargs) =>
    yargs
      .option('model', { type: 'string', demandOption: true, describe: "a catalog model id (e.g. 'qwen2.5-7b') or a path to a Hugging Face config.json" })
      .option('gpu', { type: 'string', demandOption: true, describe: `a catalog GPU id (${GPU_CATALOG.map((g) => g.id).join(', ')})` })
      .option('nodes', { type: 'number', demandOption: true, describe: 'nodes in the cluster' })
      .option('gpus-per-node', { type: 'number', describe: "GPUs per node (default: the GPU's usual server)" })
      .option('out', { type: 'string', describe: 'the scenario file to write (default: <model>-<gpu>-<nodes>n.json in the working directory); written atomically' })
      .option('json', { type: 'boolean', default: false, describe: 'print a JSON summary on stdout' })
      .example('$0 scenario init --model qwen2.5-7b --gpu h100-sxm --nodes 2 --out my-run.json', 'a starting scenario for Qwen2.5-7B on 16 H100s')
      .example('$0 scenario init --model ./Qwen3-30B-A3B/config.json --gpu h20 --nodes 16', "a model from its Hugging Face config.json"),
  handler: async (args) => {
    const argv = args as unknown as InitArgs;
    const cwd = context.io.cwd;
    if (!(Number.isInteger(argv.nodes) && argv.nodes >= 1)) throw flagError('nodes', argv.nodes, 'must be a positive integer');
    const gpu = findGpu(argv.gpu);
    if (!gpu) throw flagError('gpu', argv.gpu, `unknown GPU id; the catalog has ${GPU_CATALOG.map((g) => g.id).join(', ')}`);
    const gpusPerNode = argv['gpus-per-node'] ?? gpu.gpusPerNode;
    if (!(Number.isInteger(gpusPerNode) && gpusPerNode >= 1)) throw flagError('gpus-per-node', gpusPerNode, 'must be a positive integer');

    const modelIsPath = isModelPath(argv.model);
    const defaultName = `${modelIsPath ? basename(dirname(resolve(cwd, argv.model))) || 'model' : argv.model}-${gpu.id}-${argv.nodes}n`.replace(/[^A-Za-z0-9._-]+/g, '-');
    const outPath = resolve(cwd, argv.out ?? `${defaultName}.json`);
    if (extname(outPath) !== '.json') throw flagError('out', argv.out, 'must name a .json file');
    const insideShipped = relative(SHIPPED_FOLDER, outPath);
    if (!insideShipped.startsWith('..') && !isAbsolute(insideShipped)) {
      throw flagError('out', argv.out, `is inside the package's shipped scenarios (${SHIPPED_FOLDER}); keep your scenarios in a folder of your own (they load from anywhere)`);
    }

    let model: ModelSpec;
    let modelReference: string;
    if (modelIsPath) {
      const configPath = resolve(cwd, argv.model);
      // The scenario names the config relative to itself, as the loader reads it.
      modelReference = posix(relative(dirname(outPath), configPath)) || basename(configPath);
      if (!modelReference.startsWith('.') && !modelReference.startsWith('/')) modelReference = `./${modelReference}`;
      const loaded = await loadModelReferences([modelReference], outPath, () => ({ file: COMMAND_LINE, field: '--model' }));
      model = loaded[modelReference]!;
    } else {
      const found = findModel(argv.model);
      if (!found) throw flagError('model', argv.model, `unknown model id; the catalog has ${MODEL_CATALOG.map((m) => m.id).join(', ')} (or give a path to a Hugging Face config.json)`);
      model = found;
      modelReference = found.id;
    }

    const cost = createRooflineCostModel(gpu, await loadCalibration(DEFAULT_CALIBRATION_PATH));
    const name = basename(outPath, '.json');
    const { scenario, notes } = startingScenario({
      name,
      modelReference,
      model,
      gpu,
      nodes: argv.nodes,
      gpusPerNode,
      kvCapacityTokens: (tp, utilization) => cost.replica(model, { tp, pp: 1 }).kvCapacityTokens(utilization),
      schemaPath: posix(relative(dirname(outPath), SCHEMA)),
    });
    // What is written must load: validate it as the loader will (the model read above stands in for the file).
    parseScenarioObject({ ...scenario, ...(modelIsPath ? { modelSpecs: { [modelReference]: model } } : {}) }, outPath);
    const text = `${JSON.stringify(scenario, null, 2)}\n`;
    await writeFileAtomic(outPath, text);
    const layout = (scenario['layout'] as { actorTrain: { tp: number; pp: number; dp: number; ep?: number } }).actorTrain;
    const generation = scenario['generation'] as { tp: number; instances: number };
    const summary = {
      out: posix(relative(cwd, outPath)) || basename(outPath),
      model: modelReference,
      gpu: gpu.id,
      gpus: argv.nodes * gpusPerNode,
      generation: { tp: generation.tp, instances: generation.instances },
      actorTrain: layout,
      notes,
    };
    if (argv.json) context.io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
    else {
      context.io.stdout(
        `wrote ${summary.out}: ${model.id} on ${argv.nodes} × ${gpusPerNode} ${gpu.id}; generation TP ${generation.tp} × ${generation.instances} instances; actor training TP ${layout.tp} × PP ${layout.pp}${layout.ep ? ` × EP ${layout.ep}` : ''} × DP ${layout.dp}\n` +
          `every 'assumption:' in its provenance is a value to replace with your run's; then: rlhf-replay replay --scenario ${summary.out} --trace <your trace> --scheduler verl\n`,
      );
    }
    for (const note of notes) context.io.stderr(`note: ${note}\n`);
  },
});
