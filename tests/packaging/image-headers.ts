/**
 * Readers of the icon files' headers, written from the formats' specifications and independent
 * of the code that writes them (scripts/icons.mjs), so a test compares the two.
 */

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** A PNG file's size from its IHDR chunk, which must come first; throws if it is not a PNG. */
export function pngSize(data: Buffer): Size {
  if (data.length < 24 || !data.subarray(0, 8).equals(PNG_SIGNATURE)) {
    throw new Error('not a PNG file');
  }
  if (data.toString('latin1', 12, 16) !== 'IHDR') throw new Error('a PNG without IHDR first');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

export interface IcoEntry extends Size {
  /** What the entry's data is: a PNG file, or a BMP (DIB) without its file header. */
  readonly format: 'png' | 'bmp';
  readonly bitsPerPixel: number;
}

/**
 * An ICO file's entries. Each one's size is read twice, from the directory (where 0 means 256)
 * and from the image data (a BMP's height counts the AND mask too, so it is doubled).
 */
export function icoEntries(data: Buffer): IcoEntry[] {
  if (data.readUInt16LE(0) !== 0 || data.readUInt16LE(2) !== 1) throw new Error('not an ICO file');
  const count = data.readUInt16LE(4);
  const entries: IcoEntry[] = [];
  for (let i = 0; i < count; i++) {
    const dir = 6 + 16 * i;
    const width = data.readUInt8(dir) || 256;
    const height = data.readUInt8(dir + 1) || 256;
    const length = data.readUInt32LE(dir + 8);
    const offset = data.readUInt32LE(dir + 12);
    if (offset + length > data.length) throw new Error(`ICO entry ${i} runs past the file`);
    const image = data.subarray(offset, offset + length);
    if (image.subarray(0, 8).equals(PNG_SIGNATURE)) {
      const png = pngSize(image);
      if (png.width !== width || png.height !== height)
        throw new Error(`ICO entry ${i}: sizes differ`);
      entries.push({ width, height, format: 'png', bitsPerPixel: data.readUInt16LE(dir + 6) });
      continue;
    }
    if (image.readUInt32LE(0) !== 40) throw new Error(`ICO entry ${i}: neither PNG nor BMP`);
    if (image.readInt32LE(4) !== width || image.readInt32LE(8) !== 2 * height) {
      throw new Error(`ICO entry ${i}: the directory and the bitmap disagree on its size`);
    }
    entries.push({ width, height, format: 'bmp', bitsPerPixel: image.readUInt16LE(14) });
  }
  return entries;
}

export interface IcnsEntry extends Size {
  readonly type: string;
}

/** An ICNS file's entries with the size of each one's PNG (every entry must be a PNG). */
export function icnsEntries(data: Buffer): IcnsEntry[] {
  if (data.toString('latin1', 0, 4) !== 'icns') throw new Error('not an ICNS file');
  if (data.readUInt32BE(4) !== data.length) throw new Error('the ICNS length is not the file size');
  const entries: IcnsEntry[] = [];
  for (let offset = 8; offset < data.length;) {
    const type = data.toString('latin1', offset, offset + 4);
    const length = data.readUInt32BE(offset + 4);
    if (length < 8 || offset + length > data.length)
      throw new Error(`ICNS entry ${type}: bad length`);
    entries.push({ type, ...pngSize(data.subarray(offset + 8, offset + length)) });
    offset += length;
  }
  return entries;
}
