import type { Registrar } from '../registrar.js';

/** model train|evaluate, score: the learned identifier of illicit wallets. */
export function registerLearn({ program, act, examples }: Registrar): void {
  const model = program
    .command('model')
    .description('train and evaluate the learned identifier of illicit wallets on generated worlds with truth')
    .addHelpText('after', examples([
      'ctrace generate darknet-market --txs 3000 --seed 11 --era 587500 --out w1 && ctrace generate aggregator --txs 3000 --seed 12 --era 587500 --out w2',
      'ctrace model train --world w1 --world w2 --trees 20 --out model.json',
      'ctrace model evaluate --model model.json --world w2   # needs a world the model has not seen, for a fair figure',
    ]));
  const collect = (v: string, prev: string[] = []) => [...prev, v];
  model
    .command('train')
    .description('train a wallet model on generated worlds (their truth says which wallets are illicit), UTXO or account (EVM), one chain kind per model; deterministic for a seed')
    .requiredOption('--world <dir>', 'a world written by ctrace generate (repeat for more)', collect)
    .requiredOption('--out <file>', 'the model file to write (JSON)')
    .option('--labels <with|without>', 'read the label-exposure features (worlds get seed labels: one address in ten of markets, gangs, mixers, exchanges)', 'without')
    .option('--kind <forest|logistic>', 'a random forest (ml-random-forest) or the linear baseline (ml-logistic-regression)', 'forest')
    .option('--trees <n>', 'trees of the forest', '100')
    .option('--seed <n>', 'seed of the forest', '1')
    .option('--negatives <n>', 'licit wallets kept per illicit one for training (the rest are thinned out)', '10')
    .addHelpText('after', examples([
      'ctrace generate darknet-market --txs 3000 --seed 11 --era 587500 --out w1 && ctrace generate aggregator --txs 3000 --seed 12 --era 587500 --out w2',
      'ctrace model train --world w1 --world w2 --trees 20 --out model.json',
    ]))
    .action(act(async (c, o) => (await import('../commands/model.js')).modelTrain(c, o)));
  model
    .command('evaluate')
    .description('AUC, PR-AUC, precision@k, recall at 1 % false positives and calibration on worlds the model has not seen, beside the direct-exposure and haircut rankings, over all wallets and over those no seed label points to')
    .requiredOption('--model <file>', 'a model written by ctrace model train')
    .requiredOption('--world <dir>', 'a world to judge (repeat for more); use seeds and scenarios the model was not trained on', collect)
    .addHelpText('after', examples(['ctrace generate ransomware --txs 4000 --seed 99 --era 587500 --out test1 && ctrace model evaluate --model model.json --world test1   # needs model.json (ctrace model train --help)']))
    .action(act(async (c, o) => (await import('../commands/model.js')).modelEvaluate(c, o)));
  program
    .command('score')
    .description("the store's wallets ranked by a model's probability of an illicit role, each with its top contributing features and its label exposure")
    .requiredOption('--model <file>', 'a model written by ctrace model train')
    .option('--chain <chain>', 'chain, when the store holds several')
    .option('--limit <n>', 'rows to print', '20')
    .addHelpText('after', examples(['ctrace score --model model.json --limit 10   # needs model.json (ctrace model train --help)', 'ctrace --json --full score --model model.json   # needs model.json']))
    .action(act(async (c, o) => (await import('../commands/model.js')).score(c, o)));
}
