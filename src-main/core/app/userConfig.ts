// Where Micra Studio keeps what belongs to the user rather than to a project (the recent
// projects): the platform's config folder, or MICRA_CONFIG_DIR (tests point it at a scratch
// folder so they never touch the real one).
import os from 'node:os';
import path from 'node:path';

export function userConfigDir(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir(), platform: NodeJS.Platform = process.platform): string {
  if (env.MICRA_CONFIG_DIR) return path.resolve(env.MICRA_CONFIG_DIR);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Micra Studio');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Micra Studio');
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'micra-studio');
}
