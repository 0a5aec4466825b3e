// Replaces vega-scenegraph/src/modules.js in the site bundle: only the SVG
// renderer (and the renderer-less 'none' mode) is registered. The canvas, png
// and hybrid renderers are left out, so view.toCanvas()/toImageURL('png')
// are unavailable; view.toSVG() and toImageURL('svg') still work.
import SVGHandler from './SVGHandler.js';
import SVGRenderer from './SVGRenderer.js';
import SVGStringRenderer from './SVGStringRenderer.js';

const Canvas = 'canvas';
const Hybrid = 'hybrid';
const PNG = 'png';
const SVG = 'svg';
const None = 'none';

export const RenderType = {
  Canvas: Canvas,
  PNG:    PNG,
  SVG:    SVG,
  Hybrid: Hybrid,
  None:   None
};

const modules = {};

modules[SVG] = {
  renderer: SVGRenderer,
  headless: SVGStringRenderer,
  handler:  SVGHandler
};

modules[None] = {};

export function renderModule(name, _) {
  name = String(name || '').toLowerCase();
  if (arguments.length > 1) {
    modules[name] = _;
    return this;
  } else {
    return modules[name];
  }
}
