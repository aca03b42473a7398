import { openSqliteStore } from '@cryptotrace/adapters';
import type { CommandContext } from '../context.js';
import { table, toJson } from '../output.js';

/** `ctrace stats`: what the case store holds. */
export async function stats(ctx: CommandContext): Promise<number> {
  const store = openSqliteStore(ctx.db, { readonly: true });
  const s = store.stats();
  store.close();
  if (ctx.json) {
    ctx.io.out(toJson({ db: ctx.db, ...s }));
    return 0;
  }
  const rows = Object.entries(s)
    .filter(([k]) => k !== 'chains')
    .map(([k, v]) => [k, String(v)]);
  ctx.io.out(`${ctx.db}: ${s.chains.length ? s.chains.join(', ') : 'empty'}\n`);
  ctx.io.out(table(['what', 'count'], rows, [1]));
  return 0;
}
