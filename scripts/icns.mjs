/**
 * A minimal writer of Apple's icon format (.icns), enough for an app icon: PNG entries only, which
 * macOS reads since 10.7. The registry's ICNS packages are little used and not kept up
 * (@fiahfy/icns is a 0.0.x release, icns-lib names no repository), and the format is a plain
 * container:
 *
 *   'icns'  u32 BE total length
 *   then per entry:  OSType (4 ASCII bytes)  u32 BE entry length (8 + data)  data (a PNG file)
 */

/**
 * The entries an app icon carries: OSType and pixel size. The @2x types (ic11 to ic14, ic10) hold
 * the same sizes as others, for Retina screens; macOS picks by type, not by the PNG's size.
 */
export const ICNS_ENTRIES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024], // 512@2x
  ['ic11', 32], // 16@2x
  ['ic12', 64], // 32@2x
  ['ic13', 256], // 128@2x
  ['ic14', 512], // 256@2x
];

/** An .icns file of `entries`: [OSType, PNG buffer] pairs, in that order. */
export function encodeIcns(entries) {
  const chunks = entries.map(([type, png]) => {
    if (!/^[ -~]{4}$/.test(type)) throw new Error(`not an OSType: ${JSON.stringify(type)}`);
    const header = Buffer.alloc(8);
    header.write(type, 0, 'latin1');
    header.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([header, png]);
  });
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'latin1');
  header.writeUInt32BE(8 + chunks.reduce((sum, chunk) => sum + chunk.length, 0), 4);
  return Buffer.concat([header, ...chunks]);
}
