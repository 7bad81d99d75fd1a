#!/usr/bin/env node
/**
 * `npm run icons`: every icon file the packages need, from one source image, resources/icon.svg.
 * Its output is committed: packaging and CI never run this. After changing the SVG, run it and
 * commit what it writes:
 *
 *   resources/icons/NxN.png   Linux (electron-builder's icon folder: AppImage, deb), 16 to 1024
 *   resources/icon.ico        Windows (the app and its NSIS installer), 16 to 256
 *   resources/icon.icns       macOS (the app and its dmg), 16 to 1024 with the @2x entries
 *
 * Each size is rendered from the vector, not scaled down from one big bitmap, so small icons stay
 * sharp. The ICO holds 32-bit BMP entries (png-to-ico), the form every Windows tool reads, NSIS too.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { imagesToIco } from 'png-to-ico';
import pngjs from 'pngjs';
import { encodeIcns, ICNS_ENTRIES } from './icns.mjs';

const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

const root = fileURLToPath(new URL('..', import.meta.url));
const resources = join(root, 'resources');
const svg = readFileSync(join(resources, 'icon.svg'));

const rendered = new Map();
/** The icon as a PNG file of size × size pixels (rendered once per size). */
function png(size) {
  if (!rendered.has(size)) {
    const resvg = new Resvg(svg, {
      fitTo: { mode: 'width', value: size },
      // The icon has no text: no need to scan the system's fonts.
      font: { loadSystemFonts: false },
    });
    rendered.set(size, resvg.render().asPng());
  }
  return rendered.get(size);
}

function write(file, data) {
  writeFileSync(file, data);
  console.log(`${relative(root, file)}  ${data.length.toLocaleString('en')} bytes`);
}

mkdirSync(join(resources, 'icons'), { recursive: true });
for (const size of LINUX_SIZES) write(join(resources, 'icons', `${size}x${size}.png`), png(size));
write(
  join(resources, 'icon.ico'),
  imagesToIco(ICO_SIZES.map((size) => pngjs.PNG.sync.read(png(size)))),
);
write(
  join(resources, 'icon.icns'),
  encodeIcns(ICNS_ENTRIES.map(([type, size]) => [type, png(size)])),
);
