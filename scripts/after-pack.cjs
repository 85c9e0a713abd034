// electron-builder's afterPack step: sets Electron's fuses in the packed binary before it is
// signed or wrapped into an installer. electron-builder loads this file with require() and calls
// its default export, so it is CommonJS with `exports.default` (a tool's requirement).
const path = require('node:path');
const { flipFuses, FuseV1Options, FuseVersion } = require('@electron/fuses');

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

exports.default = async function setFuses(context) {
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
