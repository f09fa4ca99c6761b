// electron-builder beforeBuild hook: rebuild better-sqlite3 alone for Electron's ABI. sharp and
// tfjs-node are N-API modules and work unchanged; rebuilding them would need their downloads.
const { rebuild } = require('@electron/rebuild');

module.exports = async function beforeBuild(context) {
  await rebuild({
    buildPath: context.appDir,
    electronVersion: context.electronVersion,
    arch: context.arch,
    onlyModules: ['better-sqlite3'],
    force: true,
  });
  // false: electron-builder must not run its own install/rebuild of node_modules.
  return false;
};
