import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type Bunzip from 'seek-bzip';
import { CtraceError } from '@cryptotrace/core';

/** An input file opened for reading: random access for large binary data, all at once for the rest. */
export interface InputData {
  path: string;
  size: number;
  /** True when the file was bzip2 and has been decompressed into memory. */
  decompressed: boolean;
  readAt(offset: number, length: number): Uint8Array;
  /** The whole content (read on first use). */
  all(): Uint8Array;
  close(): void;
}

const BZIP2_MAGIC = Buffer.from('BZh');

/**
 * Check that a path is a readable, non-empty file, without reading it.
 * @throws CtraceError INPUT_UNREADABLE
 */
export function checkInputFile(path: string): void {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new CtraceError('INPUT_UNREADABLE', `${path} is a directory: name the files in it, or give a directory of blk*.dat files`);
    size = st.size;
  } catch (cause) {
    if (cause instanceof CtraceError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code ?? 'cannot read it';
    throw new CtraceError('INPUT_UNREADABLE', `${path}: ${why}; check the path`, { cause });
  }
  if (size === 0) throw new CtraceError('INPUT_UNREADABLE', `${path} is empty: nothing to ingest`);
}

/**
 * The files to ingest for the paths given: a directory stands for its node's block files (blk*.dat, in number
 * order, as Bitcoin Core's blocks directory holds them); a file stands for itself.
 * @throws CtraceError INPUT_UNREADABLE for a directory without blk*.dat files
 */
export function expandInputPaths(paths: readonly string[]): string[] {
  return paths.flatMap((p) => {
    let dir = false;
    try {
      dir = statSync(p).isDirectory();
    } catch {
      return [p]; // checkInputFile says what is wrong with it
    }
    if (!dir) return [p];
    const blks = readdirSync(p).filter((n) => /^blk\d+\.dat$/.test(n)).sort((a, b) => Number(a.slice(3, -4)) - Number(b.slice(3, -4)));
    if (blks.length === 0) throw new CtraceError('INPUT_UNREADABLE', `${p} is a directory without blk*.dat files: name the files in it to ingest`);
    return blks.map((n) => join(p, n));
  });
}

/** Open an input file; bzip2 content is decompressed in memory (the `.bz2` files in the shared data are small). */
export function openInput(path: string): InputData {
  checkInputFile(path);
  const fd = openSync(path, 'r');
  const size = statSync(path).size;
  const head = Buffer.alloc(3);
  readSync(fd, head, 0, 3, 0);
  if (head.equals(BZIP2_MAGIC)) {
    closeSync(fd);
    let data: Uint8Array;
    try {
      // seek-bzip loads with the first .bz2 file, not on every start of the CLI.
      data = (createRequire(import.meta.url)('seek-bzip') as typeof Bunzip).decode(readFileSync(path));
    } catch (cause) {
      throw new CtraceError('INPUT_MALFORMED', `${path}: bzip2 data does not decompress (${String((cause as Error).message ?? cause)}); the file is corrupt or truncated`, { cause });
    }
    if (data.length === 0) throw new CtraceError('INPUT_UNREADABLE', `${path} decompresses to nothing: nothing to ingest`);
    return memoryInput(path, data, true);
  }
  let whole: Uint8Array | undefined;
  return {
    path,
    size,
    decompressed: false,
    readAt(offset, length) {
      const buf = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      if (buf.length > 0) readSync(fd, buf, 0, buf.length, offset);
      return buf;
    },
    all() {
      whole ??= readFileSync(path);
      return whole;
    },
    close: () => closeSync(fd),
  };
}

function memoryInput(path: string, data: Uint8Array, decompressed: boolean): InputData {
  return {
    path,
    size: data.length,
    decompressed,
    readAt: (offset, length) => data.subarray(offset, offset + length),
    all: () => data,
    close() {},
  };
}
