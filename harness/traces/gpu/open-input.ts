import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { constants as zlibConstants, createGunzip, gunzipSync } from 'node:zlib';
import { inputError } from '../../util/input-error.js';

/**
 * Byte-level access to a trace file: plain or gzip (recognised by its magic bytes, not its name),
 * streamed in 1 MB chunks so no file is ever held whole. I/O and zlib failures become InputErrors
 * naming the file.
 */
const CHUNK_BYTES = 1 << 20;

function describeFsError(file: string, error: unknown): never {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, expected a file' : code === 'EACCES' ? 'permission denied' : (code ?? (error as Error).message);
  throw inputError({ file, message: `cannot read: ${reason}` });
}

async function readRawHead(file: string, maxBytes: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    describeFsError(file, error);
  }
  try {
    const buffer = Buffer.alloc(maxBytes);
    const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
    return buffer.subarray(0, bytesRead);
  } catch (error) {
    describeFsError(file, error);
  } finally {
    await handle.close();
  }
}

function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

export async function isGzipFile(file: string): Promise<boolean> {
  return isGzip(await readRawHead(file, 2));
}

/** The first bytes of the file's content (decompressed when gzip), for format detection. */
export async function readContentHead(file: string, maxBytes = 64 * 1024): Promise<{ head: Buffer; gzip: boolean }> {
  const raw = await readRawHead(file, maxBytes);
  if (!isGzip(raw)) return { head: raw, gzip: false };
  try {
    // A sync flush returns what the partial input decodes to instead of failing on the cut.
    const head = gunzipSync(raw, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    return { head: head.subarray(0, maxBytes), gzip: true };
  } catch (error) {
    throw inputError({ file, message: `not a valid gzip file: ${(error as Error).message}` });
  }
}

export interface ByteStreamOptions {
  /** Called with compressed bytes read so far, for progress. */
  readonly onRawBytes?: (bytesRead: number) => void;
}

/** The file's content as chunks, decompressed on the fly when gzip. */
export async function* readContentChunks(file: string, options: ByteStreamOptions = {}): AsyncGenerator<Buffer> {
  const gzip = await isGzipFile(file);
  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  let source: AsyncIterable<Buffer> = raw;
  if (gzip) {
    const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
    pipeline(raw, gunzip, () => {});
    source = gunzip;
  }
  let decompressed = 0;
  try {
    for await (const chunk of source) {
      decompressed += chunk.length;
      // Progress in file bytes: for gzip, how far the decompressor has read into the file.
      options.onRawBytes?.(raw.bytesRead);
      yield chunk;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test((error as Error).message)) {
      throw inputError({ file, message: `truncated gzip: the compressed stream ends early after ${decompressed} decompressed bytes (was the file cut off while copying?)` });
    }
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw inputError({ file, message: `corrupt gzip data after ${decompressed} decompressed bytes: ${(error as Error).message}` });
    }
    if (code) describeFsError(file, error);
    throw error;
  } finally {
    raw.destroy();
  }
}
