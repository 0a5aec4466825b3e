// Bundles entry.js into one minified IIFE that defines `window.vega`, and
// writes the licence file for everything inside it. See README.md.
//
//   node build.mjs OUT_DIR     writes OUT_DIR/vega-runtime.min.js,
//                              OUT_DIR/LICENSE-vega.txt and, for size
//                              analysis, dist/vega-runtime.meta.json
import {build} from 'esbuild';
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, 'node_modules');
const outDir = resolve(process.argv[2] || join(here, 'dist'));

// Upstream source files replaced by the smaller ones in stubs/, each with the
// SHA-256 of the upstream file the stub was written against: if a version
// bump changes the upstream file, the build stops so the stub gets reviewed.
const STUBS = {
  'vega-scenegraph/src/modules.js': {
    stub: 'stubs/scenegraph-modules.js',
    sha256: 'c58faa096cb4beebcc9c3a324764498da4b2d653cc1c41a86441dde0ffaf9502'
  },
  'vega-functions/src/functions/geo.js': {
    stub: 'stubs/functions-geo.js',
    sha256: '14a0a02cbc4730debbc5ea1c045dc8e8c5c8f920a5b44389138e078f78aa1c87'
  },
  'vega-loader/src/formats/topojson.js': {
    stub: 'stubs/loader-topojson.js',
    sha256: '673d3b009cf7e5c6d0813c5eb4020b7274e7ea41c12bf87a361d70c2d6dc09d5'
  }
};

const read = path => readFileSync(path, 'utf8');
const pkgJson = name => JSON.parse(read(join(modules, name, 'package.json')));
const sha256 = text => createHash('sha256').update(text).digest('hex');

// The vega-* packages ship their ES sources (index.js + src/) next to their
// rollup builds. Bundling from the sources lets esbuild drop, and this script
// replace, single modules. vega-util only ships its compiled build: use it.
const vegaSources = {
  name: 'vega-sources',
  setup(b) {
    b.onResolve({filter: /^vega-[a-z-]+$/}, args => {
      if (args.path === 'vega-util') return undefined;
      const dir = join(modules, args.path);
      const browser = join(dir, 'index.browser.js');
      return {path: existsSync(browser) ? browser : join(dir, 'index.js')};
    });
    b.onLoad({filter: /[\\/]node_modules[\\/]vega-[a-z-]+[\\/]src[\\/].+\.js$/}, args => {
      const rel = args.path.slice(modules.length + 1).split('\\').join('/');
      const entry = STUBS[rel];
      if (!entry) return undefined;
      const upstream = sha256(read(args.path));
      if (upstream !== entry.sha256) {
        throw new Error(`${rel} changed upstream (sha256 ${upstream}): review ${entry.stub} and update its hash in build.mjs`);
      }
      return {contents: read(join(here, entry.stub)), loader: 'js', resolveDir: dirname(args.path)};
    });
  }
};

const result = await build({
  entryPoints: [join(here, 'entry.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  globalName: 'vega',
  platform: 'browser',
  target: ['es2020'],
  legalComments: 'none',
  charset: 'utf8',
  metafile: true,
  write: false,
  absWorkingDir: here,
  logLevel: 'warning',
  plugins: [vegaSources]
});

const used = Object.keys(STUBS).filter(rel => !Object.keys(result.metafile.inputs).some(i => i.endsWith(rel)));
if (used.length) throw new Error('stubbed files no longer in the bundle: ' + used.join(', '));

// Every npm package with code in the bundle, for the banner and the licences.
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (m) packages.add(m[1]);
}
const names = [...packages].sort();
// vega-functions 6.1.1, vega-selections 6.1.2 and vega-interpreter 2.2.1 were
// published without their LICENSE file; like every vega-* package they are
// under the monorepo's BSD-3-Clause licence, which the vega package ships.
const licenceText = name => {
  const own = join(modules, name, 'LICENSE');
  if (existsSync(own)) return read(own).trim();
  if (name.startsWith('vega-') && pkgJson(name).license === pkgJson('vega').license) {
    return read(join(modules, 'vega', 'LICENSE')).trim();
  }
  throw new Error(`no LICENSE file in ${name}`);
};
const info = names.map(name => {
  const p = pkgJson(name);
  return {name, version: p.version, license: p.license, text: licenceText(name)};
});

const vega = pkgJson('vega');
const banner = [
  '/*!',
  ` * Vega ${vega.version} runtime: parser, dataflow, view, SVG renderer and the CSP-safe expression`,
  ` * interpreter (vega-interpreter ${pkgJson('vega-interpreter').version}: no eval or new Function); no Vega-Lite compiler.`,
  ` * Built by scripts/vega-runtime/build.sh (esbuild ${pkgJson('esbuild').version}). Licences: LICENSE-vega.txt.`,
  ' * Vega: BSD-3-Clause, (c) University of Washington Interactive Data Lab. D3: ISC, (c) Mike Bostock.',
  ' * ' + info.map(p => `${p.name}@${p.version} ${p.license}`).join(', '),
  ' */',
  ''
].join('\n');

// Licence file: each distinct licence text once, with the packages it covers.
const groups = new Map();
for (const p of info) {
  if (!groups.has(p.text)) groups.set(p.text, []);
  groups.get(p.text).push(`${p.name}@${p.version}`);
}
const licence = [
  `vega-runtime.min.js bundles Vega ${vega.version} (https://vega.github.io/vega/), its expression`,
  'interpreter (vega-interpreter) and the D3 modules it uses. Their licences follow, each with',
  'the packages it covers.',
  ''
];
for (const [text, pkgs] of groups) {
  licence.push('='.repeat(78), pkgs.join(', '), '-'.repeat(78), text, '');
}

mkdirSync(outDir, {recursive: true});
mkdirSync(join(here, 'dist'), {recursive: true});
const code = banner + result.outputFiles[0].text;
writeFileSync(join(outDir, 'vega-runtime.min.js'), code);
writeFileSync(join(outDir, 'LICENSE-vega.txt'), licence.join('\n'));
writeFileSync(join(here, 'dist', 'vega-runtime.meta.json'), JSON.stringify(result.metafile, null, 1) + '\n');
console.log(`wrote ${join(outDir, 'vega-runtime.min.js')} (${Buffer.byteLength(code)} bytes) and LICENSE-vega.txt`);
