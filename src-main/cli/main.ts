// The `micra` command: the same core as the app, headless, for batch work.
import { UsageError } from './argv';
import { runAnnotationsCommand } from './commands/annotationsCommand';
import { runBatchCommand } from './commands/batchCommand';
import { runDoctorCommand } from './commands/doctorCommand';
import { runEvaluateCommand } from './commands/evaluateCommand';
import { runEvaluateDetectionsCommand } from './commands/evaluateDetectionsCommand';
import { runExportCommand } from './commands/exportCommand';
import { runImportCommand } from './commands/importCommand';
import { runMapsCli } from './commands/mapsCli';
import { runModelsCommand } from './commands/modelsCommand';
import { runRegionCommand } from './commands/regionCommand';
import { runServeCommand } from './commands/serveCommand';
import { runSweepCommand } from './commands/sweepCommand';
import { runTrainCommand } from './commands/trainCommand';

const USAGE = `usage:
  micra serve [--project DIR] [--port N]
  micra import --project DIR [--pages all|first] [--skip-duplicates] FILE...
  micra region --project DIR --image ID --level L --x X --y Y --width W --height H --out FILE.tif
  micra maps --weights MANIFEST.json --input IMAGE.tif --out DIR
  micra sweep --project DIR (--image ID | --all) [--model MANIFEST.json] [--stride N] [--workers N] [--mask object|reference] [--no-screen] [--restart] [--quiet]
  micra export --project DIR --format objects-csv|summary-csv|overview-csv|coco|geojson|masks --out PATH [--objects accepted|all] [--image ID]...
  micra train --project DIR [--mode all|linear|linear+4|linear+3-4] [--epochs N] [--pu-ratio 1:5] [--base-model default|ID|PATH]
              [--batch-size N] [--learning-rate X] [--seed N] [--crop-size N] [--resume MODEL_ID] [--workers N]
  micra evaluate --project DIR --model ID [--split validation|test|train]
  micra models import-zoo FILE.hdf5 [--supervision 1:5] [--model NAME] --out DIR
  micra annotations import --project DIR --image ID --set NAME [--units px|um] [--actor NAME] FILE.csv|FILE.geojson
  micra annotations export --project DIR --image ID --set NAME --out FILE.geojson|FILE.csv
  micra annotations list --project DIR
  micra annotations to-crops --project DIR --image ID --set NAME [--ratio 1:3] [--seed S] [--crop-size N] [--class NAME] [--actor NAME]
  micra annotations delete --project DIR --set NAME [--actor NAME]
  micra annotations agreement --project DIR [--image ID] [--sets A,B,...]
  micra evaluate-detections --project DIR --image ID --truth SET [--against SET2 | --run RUN_ID] [--threshold T]
  micra evaluate-detections --project DIR --all-images --truth SET [--against SET2 | --threshold T]
  micra batch plan --project DIR (--all | --image ID...) [--model ID|MANIFEST.json] [--stride N] [--mask object|reference] --out JOBDIR
  micra batch sweep-task JOBDIR --index N [--workers N]
  micra batch submit JOBDIR --slurm [--partition P] [--time HH:MM:SS] [--cpus-per-task C] [--gpus G] [--max-parallel K] [--dry-run] [--retry-failed]
  micra batch status JOBDIR
  micra batch collect JOBDIR --project DIR
  micra doctor [--backend tensorflow-gpu|webgpu|tensorflow|wasm|cpu]`;

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  serve: runServeCommand,
  import: runImportCommand,
  region: runRegionCommand,
  maps: runMapsCli,
  sweep: runSweepCommand,
  export: runExportCommand,
  train: runTrainCommand,
  evaluate: runEvaluateCommand,
  models: runModelsCommand,
  annotations: runAnnotationsCommand,
  'evaluate-detections': runEvaluateDetectionsCommand,
  doctor: runDoctorCommand,
  batch: runBatchCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`micra: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`micra ${name}: ${err.message}\n${USAGE}`);
      return 2;
    }
    console.error(`micra ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // serve keeps running on its own; every other command ends here.
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
