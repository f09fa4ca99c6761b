// Where a model's training checkpoints live: <model folder>/checkpoint/{last,best}/.
import path from 'node:path';

export function checkpointDirOfModel(modelDir: string): string {
  return path.join(modelDir, 'checkpoint');
}
