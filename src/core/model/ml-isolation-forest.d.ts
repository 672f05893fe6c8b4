// The package ships no types; this declares the part the adapter reads (v0.1.0, src/*.js).
declare module 'ml-isolation-forest' {
  export interface MlTreeNode {
    left?: MlTreeNode;
    right?: MlTreeNode;
    splitColumn?: number;
    splitValue?: number;
    /** Set on leaf nodes only: the rows that reached them. */
    trainingSet?: number[][];
    pathLengthFromRoot(data: ArrayLike<number>, currentPathLengthFromRoot: number): number;
  }

  export class IsolationForest {
    constructor(options?: { nEstimators?: number });
    nEstimators: number;
    forest: MlTreeNode[];
    trainingSet?: number[][];
    train(trainingSet: number[][]): void;
    predict(data: ArrayLike<number>[]): number[];
  }
}
