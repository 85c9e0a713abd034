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

  private constructor(private readonly opened: Promise<fs.FileHandle>) {
    // A spool that could not be opened fails its first append or read, not the process.
    opened.catch(() => undefined);
  }

  /** Creates the spool file (it must not exist yet). */
  static async create(file: string): Promise<BodySpool> {
    return new BodySpool(Promise.resolve(await fs.open(file, 'wx+', 0o600)));
  }

  /**
   * A spool whose file is being created: for a recorder that must exist at once (the live view
   * starts one at the first request of a page load, inside the event that announces it).
   */
  static opening(file: string): BodySpool {
    return new BodySpool(fs.open(file, 'wx+', 0o600));
  }

  /** Appends a body; writes are queued so that offsets follow the order of calls. */
  append(body: Uint8Array): Promise<SpooledBody> {
    const offset = this.size;
    this.size += body.byteLength;
    const done = this.writing.then(async () => writeFully(await this.opened, body, offset));
    this.writing = done.catch(() => undefined);
    return done.then(() => ({ offset, length: body.byteLength }));
  }

  /** Reads a spooled body back. */
  async read(body: SpooledBody): Promise<Buffer> {
    await this.writing;
    const handle = await this.opened;
    const buffer = Buffer.allocUnsafe(body.length);
    let done = 0;
    while (done < body.length) {
      const { bytesRead } = await handle.read(buffer, done, body.length - done, body.offset + done);
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
    await (await this.opened.catch(() => null))?.close();
  }
}

async function writeFully(handle: fs.FileHandle, data: Uint8Array, position: number): Promise<void> {
  let written = 0;
  while (written < data.byteLength) {
    const { bytesWritten } = await handle.write(data, written, data.byteLength - written, position + written);
    written += bytesWritten;
  }
}
