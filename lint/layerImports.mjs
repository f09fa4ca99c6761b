// The layer rule: every import of a file inside a layer of layers.config.mjs must be allowed by
// that layer's declaration. Relative imports are resolved against the importing file, so
// '../server/serveMode' from core/ is caught (eslint's no-restricted-imports sees only the
// specifier's text, which from inside src-main never names the layer it reaches).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { layers } from '../layers.config.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const named = Object.entries(layers).map(([name, layer]) => ({ name, layer, dir: path.join(root, layer.dir) }));

function within(file, dir) {
  return file === dir || file.startsWith(dir + path.sep);
}

/** The layer a file belongs to: the one with the longest folder containing it. */
export function layerOf(file) {
  let best = null;
  for (const entry of named) if (within(file, entry.dir) && (!best || entry.dir.length > best.dir.length)) best = entry;
  return best;
}

/** The folder an allow-list entry names: a layer ('core') or a layer's subfolder ('core/app'). */
function entryDir(entry) {
  const [name, ...sub] = entry.split('/');
  const layer = layers[name];
  if (!layer) throw new Error(`layers.config.mjs: '${entry}' names no layer`);
  return path.join(root, layer.dir, ...sub);
}

function entryLabel(entry) {
  return path.relative(root, entryDir(entry)).split(path.sep).join('/');
}

function packageAllowed(specifier, patterns) {
  return patterns.some((p) => (p.endsWith('*') ? specifier.startsWith(p.slice(0, -1)) : specifier === p));
}

/** Why `specifier` may not be imported from `file` (in `from`), or null when it may. */
function refusal(from, file, specifier, typeOnly) {
  const { layer } = from;
  const where = `${layer.dir}/ (${layer.role})`;
  const spec = specifier.replace(/[?#].*$/, '');
  if (!spec.startsWith('.') && !spec.startsWith('/')) {
    if (packageAllowed(spec, layer.packages)) return null;
    const list = layer.packages.length ? layer.packages.join(', ') : 'none';
    return `${where} may not import '${spec}': its packages are ${list}.`;
  }
  const target = path.resolve(path.dirname(file), spec);
  const to = layerOf(target);
  const shown = path.relative(root, target).split(path.sep).join('/');
  if (!to) return `${where} may not import ${shown}: it lies outside every layer of layers.config.mjs.`;
  if (to === from) return null;
  if (layer.may.some((e) => within(target, entryDir(e)))) return null;
  const typesFrom = (layer.mayTypes ?? []).filter((e) => within(target, entryDir(e)));
  if (typesFrom.length) {
    if (typeOnly) return null;
    return `${where} may import only types from ${typesFrom.map(entryLabel).join(', ')} (use \`import type\`), not ${shown}.`;
  }
  const allowed = [...layer.may.map(entryLabel), ...(layer.mayTypes ?? []).map((e) => `types of ${entryLabel(e)}`)];
  return `${where} may not import ${shown}: it may import ${allowed.length ? allowed.join(', ') : 'only itself'}.`;
}

const allTypes = (specifiers, kind) => specifiers.length > 0 && specifiers.every((s) => s[kind] === 'type');

export const layerImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only what layers.config.mjs allows it.' },
    schema: [],
  },
  create(context) {
    const file = context.physicalFilename ?? context.filename;
    const from = layerOf(path.resolve(file));
    if (!from) return {};
    const check = (node, source, typeOnly) => {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const message = refusal(from, path.resolve(file), source.value, typeOnly);
      if (message) context.report({ node, message });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source, node.importKind === 'type' || allTypes(node.specifiers, 'importKind')),
      ExportNamedDeclaration: (node) => check(node, node.source, node.exportKind === 'type' || allTypes(node.specifiers, 'exportKind')),
      ExportAllDeclaration: (node) => check(node, node.source, node.exportKind === 'type'),
      ImportExpression: (node) => check(node, node.source, false),
      TSImportType: (node) => check(node, node.argument?.type === 'TSLiteralType' ? node.argument.literal : node.source, true),
      TSExternalModuleReference: (node) => check(node, node.expression, false),
      'CallExpression[callee.name="require"]': (node) => check(node, node.arguments[0], false),
    };
  },
};

export default { meta: { name: 'micra-layers' }, rules: { imports: layerImports } };
