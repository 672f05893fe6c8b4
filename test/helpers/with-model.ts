import type { AnomalyModel } from '../../src/core/model/types.js';
import { DEFAULT_SENSORS } from '../../src/core/sensors.js';
import { DEFAULT_DETECTOR_SETTINGS } from '../../src/core/context/settings.js';
import { fixedModelDetector } from '../../src/detector/fixed-model.js';

/** Worker options that score every reading with `getModel()` over the original three sensors. */
export function withModel(getModel: () => AnomalyModel | undefined) {
  return { schema: DEFAULT_SENSORS, maxBatch: 500, detector: fixedModelDetector(getModel, DEFAULT_SENSORS, DEFAULT_DETECTOR_SETTINGS) };
}
