import { CtraceError } from '@cryptotrace/core';

/** A commander option parser for a whole number >= 1; anything else is a usage error naming the flag. */
export function positiveInt(flag: string): (v: string) => number {
  return (v) => {
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new CtraceError('USAGE', `${flag} takes a whole number of 1 or more, not "${v}"`);
    return Number(v);
  };
}
