// electron-builder afterPack hook: flips Electron's fuses in the packaged binary, before it is
// signed (afterPack runs before signing; a fuse flipped after would break the signature).
// Without these an attacker on the machine can run the signed app as plain Node
// (ELECTRON_RUN_AS_NODE), inject code with NODE_OPTIONS or --inspect, or swap the app's code
// for files beside the asar or an edited asar.
const { FuseV1Options, FuseVersion } = require('@electron/fuses');
const { Arch } = require('electron-builder');

/** The fuses, by name (FuseV1Options): data, so a test can check them without packaging. */
const FUSES = Object.freeze({
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  OnlyLoadAppFromAsar: true,
  // electron-builder embeds the asar's hashes (macOS Info.plist, Windows resource) before afterPack.
  EnableEmbeddedAsarIntegrityValidation: true,
  EnableCookieEncryption: true,
});

/** The @electron/fuses configuration for one packaged app. */
const fuseConfig = (electronPlatformName, arch) => {
  const config = {
    version: FuseVersion.V1,
    // Apple Silicon refuses to run a binary whose ad-hoc signature no longer matches.
    resetAdHocDarwinSignature: electronPlatformName === 'darwin' && arch === Arch.arm64,
  };
  for (const [name, value] of Object.entries(FUSES)) {
    if (!(name in FuseV1Options)) throw new Error(`@electron/fuses knows no fuse ${name}`);
    config[FuseV1Options[name]] = value;
  }
  return config;
};

// Function expressions, not declarations: eslint-plugin-svelte's no-inner-declarations fails on
// a CommonJS file's top-level function declarations.
const afterPack = async (context) => {
  // The packager knows the binary's name and extension on each platform.
  await context.packager.addElectronFuses(context, fuseConfig(context.electronPlatformName, context.arch));
};

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.FUSES = FUSES;
module.exports.fuseConfig = fuseConfig;
