// Entry for the site's Vega *runtime* bundle (see README.md).
// It mirrors vega/index.js but registers only the transforms a Vega-Lite
// timeline needs and exposes a curated subset of the Vega API as `window.vega`,
// plus vega-interpreter's `expressionInterpreter`: with it (and `parse(spec,
// config, {ast: true})`) a View evaluates expressions without `new Function`,
// so pages run under a Content Security Policy without 'unsafe-eval'.

import {extend} from 'vega-util';
import {transforms} from 'vega-dataflow';
import * as tx from 'vega-transforms';
import * as vtx from 'vega-view-transforms';
import * as encode from 'vega-encode';
import {version as vegaVersion} from './node_modules/vega/package.json';

// Standard data transforms (aggregate, bin, collect, extent, filter, flatten,
// fold, formula, impute, joinaggregate, kde, lookup, pivot, project, quantile,
// sample, sequence, timeunit, window, ...), the view transforms (bound,
// identifier, mark, overlap, render, viewlayout) and the encode transforms
// (axisticks, datajoin, encode, legendentries, linkpath, pie, scale, sortitems,
// stack). Left out on purpose: vega-geo, vega-force, vega-hierarchy,
// vega-label, vega-regression, vega-voronoi, vega-wordcloud, vega-crossfilter.
extend(transforms, tx, vtx, encode);

export const version = vegaVersion;

export {View} from 'vega-view';
export {parse} from 'vega-parser';
export {expressionInterpreter} from 'vega-interpreter';
export {expressionFunction} from 'vega-functions';
export {
  changeset,
  isTuple,
  tupleid,
  transforms,
  Transform,
  Operator
} from 'vega-dataflow';
export {loader, read} from 'vega-loader';
export {scale, scheme} from 'vega-scale';
export {
  numberFormatDefaultLocale as formatLocale,
  timeFormatDefaultLocale as timeFormatLocale,
  locale,
  defaultLocale,
  resetDefaultLocale
} from 'vega-format';
export {renderModule, RenderType} from 'vega-scenegraph';
export {
  None,
  Error,
  Warn,
  Info,
  Debug,
  logger
} from 'vega-util';
