// `micra import --project DIR FILE...`: one JSON line per imported image on stdout, one line
// per bad file on stderr, non-zero exit when any file failed.
import { resolve } from 'node:path';
import { parseCommandArgs, requiredString, UsageError } from '../argv';
import { createNodeApp } from '../nodeApp';

export async function runImportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { project: { type: 'string' } });
  const projectDir = resolve(requiredString(values.project, 'project'));
  if (positionals.length === 0) throw new UsageError('no FILE to import');
  const app = createNodeApp('serve');
  let failures = 0;
  try {
    await app.openProject(projectDir, true);
    for (const file of positionals) {
      const outcome = await app.importFile(resolve(file));
      if (outcome.ok) {
        const { image } = outcome;
        console.log(
          JSON.stringify({
            id: image.id,
            file: outcome.file,
            name: image.name,
            width: image.width,
            height: image.height,
            bitsPerSample: image.bitsPerSample,
            channels: image.channels,
            levels: image.levelSizes.length,
            pixelSizeNm: image.pixelSizeNm,
            duplicateOf: outcome.duplicateOf,
            notice: image.notice,
          }),
        );
      } else {
        failures++;
        console.error(`${file}: ${outcome.error}`);
      }
    }
  } finally {
    await app.close();
  }
  return failures > 0 ? 1 : 0;
}
