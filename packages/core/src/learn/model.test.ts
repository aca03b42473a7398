import { describe, expect, it } from 'vitest';
import { WALLET_FEATURES } from './features.js';
import { MODEL_VERSION, loadWalletModel, trainWalletModel } from './model.js';

// A small world of feature rows: 40 illicit wallets among 800, told apart (noisily) by two features.
function world(seed: number): { rows: number[][]; truth: number[] } {
  let s = seed;
  const r = () => ((s = (s * 16_807) % 2_147_483_647) / 2_147_483_647);
  const rows: number[][] = [];
  const truth: number[] = [];
  for (let i = 0; i < 800; i++) {
    const y = i % 20 === 0 ? 1 : 0;
    rows.push(WALLET_FEATURES.map((_, k) => r() + (k < 2 && y ? 0.6 : 0)));
    truth.push(y);
  }
  return { rows, truth };
}

describe('trainWalletModel / loadWalletModel: calibration', () => {
  const { rows, truth } = world(7);
  const model = trainWalletModel(rows, truth, { kind: 'forest', labels: 'without', seed: 3, trees: 15 }, []);

  it('default: a forest carries an isotonic map fitted on every training wallet once, increasing; the same data give the same file', () => {
    expect(model.version).toBe(MODEL_VERSION);
    expect(model.calibration).toMatchObject({ method: 'isotonic', wallets: 800 });
    const { x, y } = model.calibration!;
    for (let k = 1; k < x.length; k++) {
      expect(x[k]).toBeGreaterThan(x[k - 1]);
      expect(y[k]).toBeGreaterThanOrEqual(y[k - 1]);
    }
    expect(JSON.stringify(trainWalletModel(rows, truth, { kind: 'forest', labels: 'without', seed: 3, trees: 15 }, []))).toBe(JSON.stringify(model));
  });

  it('behavior: predict applies the map unless told not to, and keeps the ranking', () => {
    const m = loadWalletModel(model);
    const test = world(11);
    const raw = m.predict(test.rows, { calibrated: false });
    const cal = m.predict(test.rows);
    expect(cal).not.toEqual(raw);
    // Monotone: wherever the raw probability is higher, the calibrated one is not lower.
    for (let i = 1; i < raw.length; i++) if (raw[i] > raw[i - 1]) expect(cal[i]).toBeGreaterThanOrEqual(cal[i - 1]);
    const brier = (p: number[]) => p.reduce((s, v, i) => s + (v - test.truth[i]) ** 2, 0) / p.length;
    // On a world drawn the same way, calibration brings the probabilities nearer the outcomes.
    expect(brier(cal)).toBeLessThan(brier(raw));
  });

  it('behavior: the logistic baseline has no calibration and predicts the same either way', () => {
    const lr = trainWalletModel(rows, truth, { kind: 'logistic', labels: 'without', seed: 3 }, []);
    expect(lr.calibration).toBeNull();
    const m = loadWalletModel(lr);
    expect(m.predict(rows.slice(0, 50))).toEqual(m.predict(rows.slice(0, 50), { calibrated: false }));
  });

  it('error: a version 1 model (no calibration) is refused with one line saying to train again', () => {
    expect(() => loadWalletModel({ ...model, version: 1 }, 'old.json')).toThrow(/old.json is a version 1 model; this cryptotrace reads version 2: train it again/);
  });
});
