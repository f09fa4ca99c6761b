// `micra serve [--project DIR] [--port N]`: the UI over HTTP + WebSocket on 127.0.0.1.
import { nonNegativeInt, parseCommandArgs } from '../argv';
import { startServer, servingLine } from '../../server/serveMode';
import { createNodeApp } from '../nodeApp';
import { rendererDir } from '../bundlePaths';
import { resolveUserPath } from '../../core/project/userPath';

export async function runServeCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { project: { type: 'string' }, port: { type: 'string' } });
  const port = nonNegativeInt(values.port, 'port', 0);
  const app = createNodeApp('serve');
  if (typeof values.project === 'string') await app.openProject(resolveUserPath(values.project), true);
  const server = await startServer({ app, rendererDir: rendererDir(), port });
  // The first line of stdout is a contract: scripts and tests read the address from it.
  console.log(servingLine(server.url));
  if (process.env.MICRA_SERVE_NOTE) console.log(process.env.MICRA_SERVE_NOTE);

  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await server.close();
  await app.close();
  return 0;
}
