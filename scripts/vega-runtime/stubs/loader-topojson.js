// Replaces vega-loader/src/formats/topojson.js in the site bundle: the
// 'topojson' data format (topojson-client) is not part of this runtime.
import {error} from 'vega-util';

export default function topojson() {
  error('The topojson data format is not supported by this Vega runtime.');
}
topojson.responseType = 'json';
