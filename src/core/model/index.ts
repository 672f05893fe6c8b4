/** Public API of the detection engine. */
export type { AnomalyModel, EngineName, Explanation, FeatureStats, ForestModel, ModelContext, ModelInfo } from './types.js';
export { ENGINES, fitForest, trainModel, type TrainOptions } from './train.js';
export { createForestModel, type ModelParts } from './model.js';
export { SCHEMA_VERSION, toModelFile, fromModelFile, type ModelFile } from './model-file.js';
export { chooseThreshold, quantile, thresholdFromContamination, type ThresholdChoice } from './threshold.js';
export { explainRow, zScore } from './explain.js';
export { featureStats } from './stats.js';
export { compileForest, MAX_COMPLETE_DEPTH, type CompiledForest, type CompleteForest, type LinkedForest } from './compiled-forest.js';
export { scoreCompiled, scoreBatchCompiled } from './compiled-score.js';
export { trainNativeForest, scoreObjectForest } from './native-forest.js';
export { trainMlForest, readMlTree, withSeededMathRandom } from './ml-engine.js';
export { averagePathLength, mlAveragePathLength, scoreFromMeanPath } from './path-length.js';
export { toMatrix, type Matrix, type ForestParams } from './validate.js';
export type { ObjectForest, TreeNode } from './itree.js';
