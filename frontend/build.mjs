#!/usr/bin/env node
/**
 * Builds frontend/build/ (served by Django/WhiteNoise under /static/).
 *
 * No bundler: we only need the dist builds that the packages already publish,
 * plus our own two small scripts and one stylesheet. The script copies those
 * files and applies a few textual fixes, then checks the result. Output is
 * deterministic (no timestamps), so the same lockfile gives the same build.
 *
 *   build/govuk/govuk-frontend.min.css   GOV.UK Frontend CSS (see fixCss below)
 *   build/govuk/govuk-frontend.min.js    GOV.UK Frontend ES module (exports initAll)
 *   build/govuk/assets/...               only the assets the CSS refers to
 *   build/vendor/vega/*.min.js           vega, vega-lite, vega-embed UMD builds
 *   build/js/body-classes.js             sets js-enabled/govuk-frontend-supported
 *   build/js/app.mjs                     initAll() + progressive Vega charts
 *   build/css/app.css                    our few extra styles
 *   build/images/favicon.svg             the site's icon (not the crown: this is no gov.uk site)
 *   build/licences/                      third-party licence texts
 *   build/versions.json                  which package versions were built
 *
 * Run with `npm run build` after `npm ci`.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, posix } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const out = join(here, 'build')
const src = join(here, 'src')

/**
 * Directory of an installed direct dependency. (Not require.resolve: vega's
 * "exports" map hides its package.json and build/ files.)
 */
function pkgDir(name) {
  const dir = join(here, 'node_modules', name)
  if (!existsSync(join(dir, 'package.json'))) fail(`${name} is not installed: run npm ci first`)
  return dir
}

function pkgVersion(name) {
  return JSON.parse(readFileSync(join(pkgDir(name), 'package.json'), 'utf8')).version
}

function fail(message) {
  console.error(`build.mjs: ${message}`)
  process.exit(1)
}

function write(path, contents) {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, contents)
}

/**
 * Remove source-map comments. We do not ship the .map files, and Django's
 * ManifestStaticFilesStorage (used via WhiteNoise in production) fails
 * collectstatic when a referenced map is missing.
 */
function stripSourceMaps(text) {
  return text
    .replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, '')
    .replace(/\/\/# sourceMappingURL=\S*\s*$/, '')
    .trimEnd() + '\n'
}

/**
 * Adapt GOV.UK Frontend's precompiled CSS:
 *
 * 1. The GDS Transport typeface is licensed for services on the gov.uk domain
 *    only, and this site is not one. Remove its @font-face rules and its
 *    copyright comment, and drop it from every font stack so text uses the
 *    stack's own fallback (arial, sans-serif), as the Design System advises
 *    for services outside GOV.UK.
 * 2. The dist CSS refers to assets by absolute path (url(/assets/...)). Make
 *    those relative to the stylesheet (url(assets/...)) so they resolve under
 *    /static/govuk/ and so ManifestStaticFilesStorage can hash them.
 */
function fixCss(css) {
  let fixed = css
    .replace(/\/\*![^*]*GDS Transport[^*]*\*\/|\/\*![^*]*gov\.uk[^*]*\*\//g, '')
    .replace(/@font-face\{font-family:"?GDS Transport"?;[^}]*\}/g, '')
    .replace(/"?GDS Transport"?,\s*/g, '')
    .replace(/url\((["']?)\/assets\//g, 'url($1assets/')
  fixed = stripSourceMaps(fixed)
  if (/GDS Transport/i.test(fixed)) fail('GDS Transport is still referenced in govuk-frontend.min.css')
  if (/@font-face/.test(fixed)) fail('unexpected @font-face left in govuk-frontend.min.css')
  return fixed
}

/** Every url(...) in a stylesheet, excluding data: URIs and fragments. */
function cssUrls(css) {
  const urls = new Set()
  for (const match of css.matchAll(/url\(\s*(["']?)([^"')]+)\1\s*\)/g)) {
    const url = match[2].trim()
    if (!url.startsWith('data:') && !url.startsWith('#')) urls.add(url)
  }
  return [...urls]
}

// ---------------------------------------------------------------------------

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

// GOV.UK Frontend -----------------------------------------------------------
const govukDist = join(pkgDir('govuk-frontend'), 'dist', 'govuk')
const govukOut = join(out, 'govuk')

const css = fixCss(readFileSync(join(govukDist, 'govuk-frontend.min.css'), 'utf8'))
write(join(govukOut, 'govuk-frontend.min.css'), css)

// Copy exactly the assets the stylesheet uses (today just the crest image
// behind .govuk-footer__copyright-logo, which our templates do not use but
// which must exist for collectstatic's manifest). No crown favicons or fonts.
for (const url of cssUrls(css)) {
  if (/^[a-z]+:|^\//i.test(url)) fail(`govuk-frontend.min.css has a non-relative URL: ${url}`)
  const rel = posix.normalize(url.split(/[?#]/)[0])
  const from = join(govukDist, rel)
  if (!existsSync(from)) fail(`govuk-frontend.min.css refers to missing ${rel}`)
  mkdirSync(dirname(join(govukOut, rel)), { recursive: true })
  cpSync(from, join(govukOut, rel))
}

write(
  join(govukOut, 'govuk-frontend.min.js'),
  stripSourceMaps(readFileSync(join(govukDist, 'govuk-frontend.min.js'), 'utf8'))
)

// Vega UMD builds ----------------------------------------------------------
const vegaFiles = {
  vega: 'build/vega.min.js',
  'vega-lite': 'build/vega-lite.min.js',
  'vega-embed': 'build/vega-embed.min.js'
}
for (const [name, file] of Object.entries(vegaFiles)) {
  const text = readFileSync(join(pkgDir(name), file), 'utf8')
  const head = text.slice(0, 600)
  if (!(head.includes('define.amd') && head.includes('globalThis'))) {
    fail(`${name}/${file} does not look like a UMD build`)
  }
  write(join(out, 'vendor', 'vega', posix.basename(file)), stripSourceMaps(text))
}

// The Content-Security-Policy has no 'unsafe-eval': Vega must interpret its expressions
// (app.mjs passes ast: true) with vega-interpreter, which vega-embed's build bundles and uses
// when the page's vega has none of its own. Refuse a vega-embed that no longer does.
const embedBuild = readFileSync(join(out, 'vendor', 'vega', 'vega-embed.min.js'), 'utf8')
if (!embedBuild.includes('expressionInterpreter')) {
  fail('vega-embed.min.js no longer bundles vega-interpreter: charts would need unsafe-eval')
}

// Our own sources ------------------------------------------------------------
cpSync(join(src, 'js'), join(out, 'js'), { recursive: true })
cpSync(join(src, 'css'), join(out, 'css'), { recursive: true })
cpSync(join(src, 'images'), join(out, 'images'), { recursive: true })

// Licences and versions -------------------------------------------------------
const shipped = ['govuk-frontend', 'vega', 'vega-lite', 'vega-embed', 'vega-interpreter']
const versions = {}
for (const name of shipped) {
  versions[name] = pkgVersion(name)
  const licence = ['LICENSE', 'LICENSE.txt', 'LICENCE', 'LICENCE.txt'].map((f) => join(pkgDir(name), f)).find(existsSync)
  if (licence) {
    write(join(out, 'licences', `${name}.txt`), readFileSync(licence))
  } else {
    // govuk-frontend's npm package has no licence file; its README states MIT.
    const { license } = JSON.parse(readFileSync(join(pkgDir(name), 'package.json'), 'utf8'))
    if (!license) fail(`no licence found for ${name}`)
    write(
      join(out, 'licences', `${name}.txt`),
      `${name} ${versions[name]} is released under the ${license} licence (see its README).\n`
    )
  }
}
write(join(out, 'versions.json'), JSON.stringify(versions, null, 2) + '\n')

// Final check: every file the templates expect is present ---------------------
const expected = [
  'govuk/govuk-frontend.min.css',
  'govuk/govuk-frontend.min.js',
  'vendor/vega/vega.min.js',
  'vendor/vega/vega-lite.min.js',
  'vendor/vega/vega-embed.min.js',
  'js/body-classes.js',
  'js/app.mjs',
  'css/app.css',
  'images/favicon.svg'
]
for (const file of expected) {
  if (!existsSync(join(out, file))) fail(`missing ${file}`)
}
console.log(`Built frontend/build/: ${Object.entries(versions).map(([n, v]) => `${n}@${v}`).join(', ')}`)
