#!/usr/bin/env node
// Draws the app's icon in code and writes resources/icon.png (1024×1024), the one file
// electron-builder needs: it derives the macOS .icns and the Windows .ico from it, and Linux
// uses it as is. The picture: sparse bright structures on a dark field, one of them found and
// outlined, as MICRA-Net does. Run it again after changing the drawing: `npm run icons`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

const SIZE = 1024;
const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'resources', 'icon.png');

// A few structures: [cx, cy, r, opacity].
const cells = [
  [300, 330, 58, 0.55],
  [720, 260, 44, 0.45],
  [250, 760, 40, 0.4],
  [770, 740, 52, 0.5],
];
const found = { cx: 540, cy: 540, r: 120 };

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">
  <rect x="64" y="64" width="896" height="896" rx="190" fill="#15171a"/>
  <rect x="64" y="64" width="896" height="896" rx="190" fill="none" stroke="#2f8f9d" stroke-width="24"/>
  ${cells.map(([cx, cy, r, o]) => `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#7fd3dc" fill-opacity="${o}"/>`).join('\n  ')}
  <circle cx="${found.cx}" cy="${found.cy}" r="${found.r}" fill="#e6f7f9"/>
  <circle cx="${found.cx}" cy="${found.cy}" r="${found.r + 56}" fill="none" stroke="#ffb000" stroke-width="28" stroke-dasharray="70 38"/>
</svg>`;

mkdirSync(join(root, 'resources'), { recursive: true });
const info = await sharp(Buffer.from(svg)).png({ palette: true, colours: 16, compressionLevel: 9, effort: 10 }).toFile(out);
console.log(`wrote ${out}: ${info.width}×${info.height}, ${info.size} bytes`);
