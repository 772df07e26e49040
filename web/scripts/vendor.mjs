// Copies the browser ES modules the web UI needs from web/node_modules into web/vendor/,
// so that `reform serve` can serve them as plain files (no CDN, no bundler).
//
// The Content-Security-Policy forbids inline scripts, so an importmap cannot resolve bare
// specifiers such as "preact" or Chart.js's "@kurkle/color"; instead each copied file has its bare imports rewritten to
// relative paths. Files get a .js extension so any server maps them to text/javascript.
// The script is idempotent: it rewrites a file only when its content changes and removes
// files in vendor/ that are no longer produced.
//
// Usage: node web/scripts/vendor.mjs   (from any directory, after npm ci --prefix web)

import { mkdir, readFile, writeFile, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const modulesDir = join(webDir, 'node_modules');
const vendorDir = join(webDir, 'vendor');

// Each entry: source under node_modules, destination under vendor/.
const FILES = [
  { from: 'preact/dist/preact.mjs', to: 'preact/preact.js' },
  { from: 'preact/hooks/dist/hooks.mjs', to: 'preact/hooks.js' },
  { from: 'preact/LICENSE', to: 'preact/LICENSE' },
  { from: 'htm/dist/htm.module.js', to: 'htm/htm.js' },
  { from: 'htm/LICENSE', to: 'htm/LICENSE' },
  // Chart.js (dashboard charts) and the colour library its ESM build imports. The chunk
  // keeps its relative path ('./chunks/index.js') beside chart.js.
  { from: 'chart.js/dist/chart.js', to: 'chart.js/chart.js' },
  { from: 'chart.js/dist/chunks/index.js', to: 'chart.js/chunks/index.js' },
  { from: 'chart.js/LICENSE.md', to: 'chart.js/LICENSE.md' },
  { from: '@kurkle/color/dist/color.esm.js', to: 'kurkle-color/color.js' },
  { from: '@kurkle/color/LICENSE.md', to: 'kurkle-color/LICENSE.md' },
  // The QR code of the dossier receipt slip (drawn as SVG by web/qr.js). The package ships
  // no LICENSE file; its MIT notice heads the module itself.
  { from: 'qrcode-generator/dist/qrcode.mjs', to: 'qrcode-generator/qrcode.js' },
];

// Bare specifier -> vendor path of the module that satisfies it.
const SPECIFIERS = {
  preact: 'preact/preact.js',
  'preact/hooks': 'preact/hooks.js',
  htm: 'htm/htm.js',
  '@kurkle/color': 'kurkle-color/color.js',
};

// Matches the specifier of static imports and re-exports, minified or not:
// `from"preact"`, `from 'preact'`, `import"x"`.
const IMPORT_RE = /(\bfrom\s*|\bimport\s*)(["'])([^"']+)\2/g;

function rewriteImports(source, destRel) {
  return source.replace(IMPORT_RE, (whole, keyword, quote, spec) => {
    if (spec.startsWith('.') || spec.startsWith('/')) return whole;
    const target = SPECIFIERS[spec];
    if (!target) {
      throw new Error(`vendor: ${destRel} imports "${spec}", which has no vendor mapping`);
    }
    let rel = posix.relative(posix.dirname(destRel), target);
    if (!rel.startsWith('.')) rel = './' + rel;
    return `${keyword}${quote}${rel}${quote}`;
  });
}

async function listFiles(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (err.code === 'ENOENT') return [];
    throw err;
  }
  const out = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out;
}

async function main() {
  try {
    await stat(modulesDir);
  } catch {
    throw new Error(`vendor: ${modulesDir} is missing; run "npm ci --prefix web" first`);
  }
  const wanted = new Set();
  let written = 0;
  for (const { from, to } of FILES) {
    const src = join(modulesDir, from);
    const dest = join(vendorDir, to);
    wanted.add(dest);
    let text = await readFile(src, 'utf8');
    if (to.endsWith('.js')) {
      // The source maps are not copied, so drop the comment that would make devtools
      // request them.
      text = text.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n');
      text = rewriteImports(text, to);
    }
    let old = null;
    try {
      old = await readFile(dest, 'utf8');
    } catch (err) {
      if (err.code !== 'ENOENT') throw err;
    }
    if (old === text) continue;
    await mkdir(dirname(dest), { recursive: true });
    await writeFile(dest, text);
    written++;
  }
  let removed = 0;
  for (const file of await listFiles(vendorDir)) {
    if (!wanted.has(file)) {
      await rm(file);
      removed++;
    }
  }
  const where = relative(process.cwd(), vendorDir) || '.';
  console.log(`vendor: ${where}: ${written} file(s) written, ${removed} removed, ` +
              `${FILES.length - written} unchanged`);
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
