// Replaces vega-functions/src/functions/geo.js in the site bundle: the
// geoArea/geoBounds/geoCentroid/geoScale expression functions stay defined
// (so specs still parse) but fail when called, because geographic projections
// (vega-projection, d3-geo) are not part of this runtime.
import {error} from 'vega-util';

function unsupported(name) {
  return function() {
    error(name + ' is not supported by this Vega runtime (no geo support).');
  };
}

export const geoArea = unsupported('geoArea');
export const geoBounds = unsupported('geoBounds');
export const geoCentroid = unsupported('geoCentroid');
export const geoScale = unsupported('geoScale');
