// `micra annotations import|export|list|to-crops|delete|agreement …`: annotation sets from the command line
// (core/annotations/sets). Each subcommand is its own file with its own flags; this one routes.
import { UsageError } from '../argv';
import { runAnnotationsAgreement } from './annotationsAgreementCommand';
import { runAnnotationsDelete } from './annotationsDeleteCommand';
import { runAnnotationsExport } from './annotationsExportCommand';
import { runAnnotationsImport } from './annotationsImportCommand';
import { runAnnotationsList } from './annotationsListCommand';
import { runAnnotationsToCrops } from './annotationsToCropsCommand';

const SUBCOMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  import: runAnnotationsImport,
  export: runAnnotationsExport,
  list: runAnnotationsList,
  'to-crops': runAnnotationsToCrops,
  delete: runAnnotationsDelete,
  agreement: runAnnotationsAgreement,
};

export async function runAnnotationsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const run = sub === undefined ? undefined : SUBCOMMANDS[sub];
  if (!run) throw new UsageError(`annotations needs one of ${Object.keys(SUBCOMMANDS).join(', ')}${sub === undefined ? '' : `, not '${sub}'`}`);
  return run(rest);
}
