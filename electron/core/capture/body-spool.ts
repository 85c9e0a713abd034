import fs from 'node:fs/promises';

/** Where a body sits in the spool file. */
export interface SpooledBody {
  readonly offset: number;
  readonly length: number;
}

/**
 * An append-only temporary file holding response bodies while a page loads, so that memory holds
 * one body at a time however much the page downloads. Bodies are read back when the WARC is written.
 */
export class BodySpool {
  private size = 0;
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(private readonly handle: fs.FileHandle) {}

  /** Creates the spool file (it must not exist yet). */
  static async create(file: string): Promise<BodySpool> {
    return new BodySpool(await fs.open(file, 'wx+', 0o600));
  }

  /** Appends a body; writes are queued so that offsets follow the order of calls. */
  append(body: Uint8Array): Promise<SpooledBody> {
    const offset = this.size;
    this.size += body.byteLength;
    const done = this.writing.then(() => writeFully(this.handle, body, offset));
    this.writing = done.catch(() => undefined);
    return done.then(() => ({ offset, length: body.byteLength }));
  }

  /** Reads a spooled body back. */
  async read(body: SpooledBody): Promise<Buffer> {
    await this.writing;
    const buffer = Buffer.allocUnsafe(body.length);
    let done = 0;
    while (done < body.length) {
      const { bytesRead } = await this.handle.read(buffer, done, body.length - done, body.offset + done);
      if (bytesRead === 0) throw new Error('the body spool file is shorter than expected');
      done += bytesRead;
    }
    return buffer;
  }

  /** Bytes spooled so far. */
  get bytes(): number {
    return this.size;
  }

  async close(): Promise<void> {
    await this.writing;
    await this.handle.close();
  }
}

async function writeFully(handle: fs.FileHandle, data: Uint8Array, position: number): Promise<void> {
  let written = 0;
  while (written < data.byteLength) {
    const { bytesWritten } = await handle.write(data, written, data.byteLength - written, position + written);
    written += bytesWritten;
  }
}
