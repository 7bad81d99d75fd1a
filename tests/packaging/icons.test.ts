/**
 * The committed icons (scripts/icons.mjs writes them from resources/icon.svg): every size each
 * platform needs, each file really of its format and size, read from its header.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { icnsEntries, icoEntries, pngSize } from './image-headers';

const resources = fileURLToPath(new URL('../../resources/', import.meta.url));

/** Linux: the desktop's icon theme sizes, up to 1024 for HiDPI launchers. */
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
/** Windows: the shell's sizes, 256 being the largest an ICO holds. */
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** macOS: an app icon's entry types (16 to 512 at 1x and 2x), with the pixel size of each. */
const ICNS_TYPES: Record<string, number> = {
  icp4: 16,
  icp5: 32,
  icp6: 64,
  ic07: 128,
  ic08: 256,
  ic09: 512,
  ic10: 1024,
  ic11: 32,
  ic12: 64,
  ic13: 256,
  ic14: 512,
};

describe('the app icons', () => {
  it('have one source image, an SVG', () => {
    const svg = readFileSync(join(resources, 'icon.svg'), 'utf8');
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 1024 1024"/);
  });

  it('for Linux: a square PNG at every size, named NxN.png, and nothing else', () => {
    const names = readdirSync(join(resources, 'icons')).sort();
    expect(names).toEqual(LINUX_SIZES.map((size) => `${size}x${size}.png`).sort());
    for (const size of LINUX_SIZES) {
      const file = join(resources, 'icons', `${size}x${size}.png`);
      expect(pngSize(readFileSync(file)), file).toEqual({ width: size, height: size });
    }
  });

  it('for Windows: one ICO with a 32-bit image at every size', () => {
    const entries = icoEntries(readFileSync(join(resources, 'icon.ico')));
    expect(entries.map((e) => e.width)).toEqual(ICO_SIZES);
    for (const entry of entries) {
      expect(entry.height).toBe(entry.width);
      expect(entry.bitsPerPixel).toBe(32);
    }
  });

  it('for macOS: one ICNS with a PNG of the right size for every type', () => {
    const entries = icnsEntries(readFileSync(join(resources, 'icon.icns')));
    expect(entries.map((e) => e.type).sort()).toEqual(Object.keys(ICNS_TYPES).sort());
    for (const { type, width, height } of entries) {
      expect({ type, width, height }).toEqual({
        type,
        width: ICNS_TYPES[type],
        height: ICNS_TYPES[type],
      });
    }
  });

  it('the readers refuse what is not an icon (so the checks above can fail)', () => {
    const png = readFileSync(join(resources, 'icons', '16x16.png'));
    expect(() => pngSize(Buffer.from('<svg/>'.padEnd(32)))).toThrow(/not a PNG/);
    expect(() => icoEntries(png)).toThrow(/not an ICO/);
    expect(() => icnsEntries(png)).toThrow(/not an ICNS/);
    const truncated = readFileSync(join(resources, 'icon.icns')).subarray(0, 4000);
    expect(() => icnsEntries(truncated)).toThrow();
  });
});
