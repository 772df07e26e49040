// Static checks of the web shell that need no browser: the message catalogs are complete
// and consistent, every catalog key the code names exists, and the stylesheet and pages
// keep to the layout and Content-Security-Policy rules (logical properties only, no
// inline scripts or styles).
//
// Run from the repository root:  node --test tests/static/

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
const LANGS = ['vi', 'en'];

async function catalog(lang) {
  return JSON.parse(await readFile(join(webDir, 'i18n', `${lang}.json`), 'utf8'));
}

// The shell's own sources: web/*.js and web/pages/**, not vendor/, node_modules/, scripts/.
async function sources() {
  const out = [];
  const walk = async (dir) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      const rel = relative(webDir, p);
      if (e.isDirectory()) {
        if (!['vendor', 'node_modules', 'scripts'].includes(rel)) await walk(p);
      } else if (e.name.endsWith('.js')) {
        out.push({ rel, text: await readFile(p, 'utf8') });
      }
    }
  };
  await walk(webDir);
  return out;
}

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('the catalogs have the same keys, non-empty texts and the same placeholders', async () => {
  const [vi, en] = await Promise.all(LANGS.map(catalog));
  assert.deepEqual(Object.keys(vi).sort(), Object.keys(en).sort());
  for (const key of Object.keys(vi)) {
    for (const [lang, cat] of [['vi', vi], ['en', en]]) {
      assert.equal(typeof cat[key], 'string', `${lang}: ${key} is a string`);
      assert.ok(cat[key].trim().length > 0, `${lang}: ${key} is not empty`);
    }
    assert.deepEqual(placeholders(vi[key]), placeholders(en[key]), `placeholders of ${key}`);
  }
  assert.ok(['ltr', 'rtl'].includes(vi['meta.dir']) && ['ltr', 'rtl'].includes(en['meta.dir']));
});

test('every catalog key named in the code exists, and every kind and role is translated', async () => {
  const vi = await catalog('vi');
  const missing = [];
  for (const { rel, text } of await sources()) {
    for (const m of text.matchAll(/\bt\(\s*'([a-z_]+(?:\.[a-z_]+)+)'/g)) {
      if (!(m[1] in vi)) missing.push(`${rel}: ${m[1]}`);
    }
    for (const m of text.matchAll(/\blabel: '([a-z_]+\.[a-z_.]+)'/g)) {
      if (!(m[1] in vi)) missing.push(`${rel}: ${m[1]}`);
    }
  }
  assert.deepEqual(missing, []);
  const kinds = ['province', 'department', 'city', 'town', 'district', 'ward', 'commune', 'township'];
  const roles = ['admin', 'leader', 'secretariat', 'focal', 'clerk', 'officer', 'inspector'];
  for (const k of kinds) assert.ok(`kind.${k}` in vi, `kind.${k}`);
  for (const r of roles) assert.ok(`role.${r}` in vi, `role.${r}`);
});

test('the stylesheet uses logical properties only', async () => {
  const css = await readFile(join(webDir, 'style.css'), 'utf8');
  const physical =
    /(^|[;{\s])(margin|padding|border)-(left|right)\b|(^|[;{\s])(left|right)\s*:|text-align\s*:\s*(left|right)|float\s*:\s*(left|right)|clear\s*:\s*(left|right)/gm;
  const found = [...css.matchAll(physical)].map((m) => m[0].trim());
  assert.deepEqual(found, []);
});

test('no inline script, inline style or CDN reference (the CSP forbids them)', async () => {
  const index = await readFile(join(webDir, 'index.html'), 'utf8');
  for (const m of index.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    assert.match(m[1], /\bsrc=/, 'every <script> has a src');
    assert.equal(m[2].trim(), '', 'no inline script body');
  }
  assert.doesNotMatch(index, /<style\b|\sstyle=|\son[a-z]+=/i);
  assert.doesNotMatch(index, /https?:\/\//);
  for (const { rel, text } of await sources()) {
    assert.doesNotMatch(text, /\sstyle=|dangerouslySetInnerHTML|innerHTML\s*=/, rel);
    const bare = /^\s*(?:import|export)\b[^;]*?\bfrom\s*['"](?![./])/m;
    assert.doesNotMatch(text, bare, `${rel} imports only relative paths`);
    assert.doesNotMatch(text, /https?:\/\/(?!www\.w3\.org)/, `${rel} loads nothing from elsewhere`);
  }
});
