// ml-logistic-regression ships no typings: the parts used here.
declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';
  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    train(X: Matrix, Y: Matrix): void;
    toJSON(): unknown;
    static load(model: unknown): LogisticRegression;
  }
}
