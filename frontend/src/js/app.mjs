/**
 * policeplan front-end enhancements.
 *
 * Progressive enhancement only: every page works without JavaScript. Pages
 * that show a chart render its data as an HTML table on the server; this
 * script adds the chart on top.
 *
 * Chart markup (see docs/adr/0002-frontend-build.md):
 *
 *   <div class="app-chart" data-vega-spec="chart-1-spec"
 *        data-vega-download-name="crime-outcomes"></div>
 *   <script type="application/json" id="chart-1-spec">{ ...Vega-Lite... }</script>
 *   ...server-rendered table...
 *
 * Use Django's json_script filter to write the spec element safely:
 *   {{ spec|json_script:"chart-1-spec" }}
 *
 * Vega is only downloaded on pages that have a chart. It is written for a
 * Content-Security-Policy of script-src 'self' and style-src 'self': no eval
 * (Vega expressions are interpreted), no injected <style> elements (styles
 * are in css/app.css).
 */
import { initAll } from '../govuk/govuk-frontend.min.js'

// Loaded in this order, next to this file in the build: ../vendor/vega/.
const VEGA_SCRIPTS = ['vega.min.js', 'vega-lite.min.js', 'vega-embed.min.js']

const EMBED_OPTIONS = {
  renderer: 'svg',
  actions: { export: { svg: true, png: true }, source: false, compiled: false, editor: false },
  // No injected <style>: the plain (non-menu) action links are styled in app.css.
  defaultStyle: false,
  // Interpret Vega expressions rather than compile them with new Function().
  ast: true,
  tooltip: { disableDefaultStyle: true, theme: 'app' },
  scaleFactor: { png: 2 },
  i18n: {
    SVG_ACTION: 'Download chart as SVG',
    PNG_ACTION: 'Download chart as PNG'
  },
  config: {
    font: 'arial, sans-serif',
    background: '#ffffff',
    // Single-series marks in GOV.UK blue (Vega's default blue is lighter).
    mark: { color: '#1d70b8' },
    title: { fontSize: 19, color: '#0b0c0c', anchor: 'start' },
    axis: {
      labelFontSize: 14,
      titleFontSize: 14,
      labelColor: '#0b0c0c',
      titleColor: '#0b0c0c',
      domainColor: '#505a5f',
      tickColor: '#505a5f',
      gridColor: '#b1b4b6'
    },
    legend: { labelFontSize: 14, titleFontSize: 14, labelColor: '#0b0c0c', titleColor: '#0b0c0c' },
    text: { fontSize: 14, color: '#0b0c0c' },
    range: {
      // GOV.UK palette colours with at least 3:1 contrast against white.
      category: ['#1d70b8', '#f47738', '#00703c', '#4c2c92', '#d4351c', '#28a197', '#912b88', '#505a5f']
    }
  }
}

function loadScript (src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script')
    script.src = src
    // Dynamically inserted scripts are async by default; this keeps them in
    // order (vega-lite and vega-embed need the globals of those before them)
    // while still downloading in parallel.
    script.async = false
    script.addEventListener('load', () => resolve())
    script.addEventListener('error', () => reject(new Error(`Could not load ${src}`)))
    document.head.append(script)
  })
}

let vegaEmbedPromise
function loadVegaEmbed () {
  if (typeof window.vegaEmbed === 'function') return Promise.resolve(window.vegaEmbed)
  vegaEmbedPromise ??= Promise.all(
    VEGA_SCRIPTS.map((file) => loadScript(new URL(`../vendor/vega/${file}`, import.meta.url).href))
  ).then(() => {
    if (typeof window.vegaEmbed !== 'function') throw new Error('vega-embed did not load')
    return window.vegaEmbed
  })
  return vegaEmbedPromise
}

/**
 * vega-embed sets an export link's href on mousedown only, so keyboard users
 * would follow href="#". Make the links work from the keyboard too, keep them
 * in the same tab, and give them GOV.UK link styling.
 */
function enhanceActionLinks (container, view, scaleFactor) {
  for (const link of container.querySelectorAll('.vega-actions a[download]')) {
    const ext = link.getAttribute('download').split('.').pop()
    link.removeAttribute('target')
    link.classList.add('govuk-link')
    link.addEventListener('click', async (event) => {
      if (link.getAttribute('href') !== '#') return
      event.preventDefault()
      link.href = await view.toImageURL(ext, scaleFactor[ext] ?? 1)
      link.click()
    })
  }
}

async function renderChart (container, vegaEmbed) {
  const specId = container.getAttribute('data-vega-spec')
  const specElement = specId ? document.getElementById(specId) : null
  if (!specElement) {
    console.error(`policeplan: no chart spec element with id "${specId}"`)
    return
  }
  const spec = JSON.parse(specElement.textContent)
  const options = {
    ...EMBED_OPTIONS,
    downloadFileName: container.getAttribute('data-vega-download-name') || specId
  }
  const result = await vegaEmbed(container, spec, options)
  enhanceActionLinks(container, result.view, options.scaleFactor)
  container.classList.add('app-chart--rendered')
}

async function initCharts () {
  const containers = [...document.querySelectorAll('[data-vega-spec]')]
  if (!containers.length) return
  let vegaEmbed
  try {
    vegaEmbed = await loadVegaEmbed()
  } catch (error) {
    console.error('policeplan: charts unavailable, showing tables only', error)
    return
  }
  await Promise.all(containers.map((container) =>
    renderChart(container, vegaEmbed).catch((error) => {
      // Leave the container empty: the server-rendered table still shows the data.
      container.classList.add('app-chart--failed')
      console.error('policeplan: chart failed to render', container, error)
    })
  ))
}

initAll()
initCharts()
