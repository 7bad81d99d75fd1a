/**
 * Paths into a packaged app's asar archive. Electron reads files inside `resources/app.asar` for
 * Node's fs, but the OS cannot: it cannot spawn an executable there, nor chmod one. Files that must
 * be run are unpacked by electron-builder (electron-builder.yml's asarUnpack) into
 * `resources/app.asar.unpacked`, at the same relative path, while modules loaded from the archive
 * still see (and export) paths through `app.asar`.
 */

/** Matches the archive's own path segment, not `app.asar.unpacked` or a longer name. */
const ASAR_SEGMENT = /([\\/])app\.asar(?=[\\/])/;

/**
 * Where a file of the archive that electron-builder unpacked really is: `…/app.asar/x` becomes
 * `…/app.asar.unpacked/x`. Any other path (development, the headless CLI) is returned unchanged.
 */
export function outsideAsar(path: string): string {
  return path.replace(ASAR_SEGMENT, '$1app.asar.unpacked');
}
