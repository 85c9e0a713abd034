// electron-builder's afterPack step: checks that the packed app holds better-sqlite3 compiled for
// its Electron, then sets Electron's fuses in the packed binary before it is signed or wrapped
// into an installer. electron-builder loads this file with require() and calls its default
// export, so it is CommonJS with `exports.default` (a tool's requirement).
const fs = require('node:fs');
const path = require('node:path');
const { flipFuses, FuseV1Options, FuseVersion } = require('@electron/fuses');
const { Arch } = require('builder-util');

/**
 * The packed Electron build of better-sqlite3, where the app will look for it. The folder name
 * follows electronBuildFolder() and electronSqlitePath() in electron/main/sqlite-native.ts (this
 * file is CommonJS run by electron-builder and cannot import that TypeScript module).
 */
function packedSqlite(context) {
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
  const folder = `electron-${context.packager.info.framework.version}-${platform}-${Arch[context.arch]}`;
  const resources = context.packager.getResourcesDir(context.appOutDir);
  const file = path.join(resources, 'app.asar.unpacked', 'native', folder, 'better_sqlite3.node');
  return {
    file,
    folder,
    fix: `npm run electron:sqlite -- --platform ${platform} --arch ${Arch[context.arch]}`,
  };
}

/** The packed app's executable (or .app bundle on macOS), where the fuse wire lives. */
function packedExecutable(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') {
    return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
  }
  const name =
    electronPlatformName === 'win32' ? `${packager.appInfo.productFilename}.exe` : packager.executableName;
  return path.join(appOutDir, name);
}

exports.default = async function afterPack(context) {
  const sqlite = packedSqlite(context);
  if (!fs.existsSync(sqlite.file)) {
    throw new Error(
      `the package has no better-sqlite3 for its Electron (native/${sqlite.folder}), so the app could not open a store; run \`${sqlite.fix}\` and package again`,
    );
  }
  // Test builds keep the inspect arguments: Playwright's _electron drives the app through them.
  const testBuild = process.env.CUSTOS_TEST_BUILD === '1';
  const executable = packedExecutable(context);
  await flipFuses(executable, {
    version: FuseVersion.V1,
    // Apple Silicon and universal builds (builder-util's Arch 3 and 4) carry an ad-hoc signature to renew.
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && [3, 4].includes(context.arch),
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: testBuild,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  });
  console.log(
    `  • fuses set in ${path.basename(executable)}${testBuild ? ' (test build: inspect arguments kept)' : ''}`,
  );
};
