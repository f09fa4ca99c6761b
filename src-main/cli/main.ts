// The `micra` command: the same core as the app, headless, for batch work.
import { UsageError } from './argv';
import { runDoctorCommand } from './commands/doctorCommand';
import { runEvaluateCommand } from './commands/evaluateCommand';
import { runExportCommand } from './commands/exportCommand';
import { runImportCommand } from './commands/importCommand';
import { runMapsCli } from './commands/mapsCli';
import { runRegionCommand } from './commands/regionCommand';
import { runServeCommand } from './commands/serveCommand';
import { runSweepCommand } from './commands/sweepCommand';
import { runTrainCommand } from './commands/trainCommand';

const USAGE = `usage:
  micra serve [--project DIR] [--port N]
  micra import --project DIR [--pages all|first] [--skip-duplicates] FILE...
  micra region --project DIR --image ID --level L --x X --y Y --width W --height H --out FILE.tif
  micra maps --weights MANIFEST.json --input IMAGE.tif --out DIR
  micra sweep --project DIR (--image ID | --all) [--model MANIFEST.json] [--stride N] [--workers N] [--mask object|reference]
  micra export --project DIR --format objects-csv|summary-csv|coco|geojson|masks --out PATH [--objects accepted|all] [--image ID]...
  micra train --project DIR [--mode all|linear|linear+4|linear+3-4] [--epochs N] [--pu-ratio 1:5] [--base-model ID]
              [--batch-size N] [--learning-rate X] [--seed N] [--crop-size N] [--resume MODEL_ID]
  micra evaluate --project DIR --model ID [--split validation|test|train]
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
  doctor: runDoctorCommand,
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
