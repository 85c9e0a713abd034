import fs from 'node:fs/promises';
import { operationFailure } from '../../errors.js';
import type { CdpSession } from '../engine/cdp-session.js';

/**
 * A page of a Chromium where the video is encoded with WebCodecs: a blank page of a secure
 * context (in the app, a hidden window on the app's own scheme; in the tests, a page served on
 * 127.0.0.1). Never the captured page: that page must not see or touch the recording.
 */
export interface VideoEncoderPage {
  /** Evaluates an expression (awaiting a promise result) and returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
}

/** An encoder page over a DevTools session with the page (Electron's debugger or playwright-core's). */
export function cdpEncoderPage(session: CdpSession): VideoEncoderPage {
  return {
    async evaluate<T>(expression: string): Promise<T> {
      const { result, exceptionDetails } = await session.send('Runtime.evaluate', {
        expression,
        awaitPromise: true,
        returnByValue: true,
      });
      if (exceptionDetails) {
        throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
      }
      return result.value as T;
    },
  };
}

/** How the video is encoded; the record repeats it. */
export interface VideoEncoding {
  /** The WebCodecs codec string (`vp8`, or `vp09.00.10.08` for VP9). */
  readonly codec: string;
  readonly bitrate: number;
  readonly bitrateMode: 'variable' | 'constant';
  readonly latencyMode: 'quality' | 'realtime';
  /** A key frame at least this often, in seconds of the video (so it can be seeked). */
  readonly keyFrameEverySeconds: number;
}

/** VP8: every WebM player decodes it, and Chromium encodes it in software fast enough to keep up. */
export const DEFAULT_VIDEO_ENCODING: VideoEncoding = {
  codec: 'vp8',
  bitrate: 4_000_000,
  bitrateMode: 'variable',
  latencyMode: 'realtime',
  keyFrameEverySeconds: 2,
};

/** One encoded chunk as it comes back from the page. */
export interface EncodedChunk {
  readonly type: 'key' | 'delta';
  /** Microseconds from the first frame. */
  readonly timestamp: number;
  readonly data: Buffer;
}

interface WireChunk {
  readonly type: 'key' | 'delta';
  readonly timestamp: number;
  readonly data: string;
}

/**
 * The page's half of the encoder, installed once per recording: decodes each JPEG frame,
 * letterboxes a frame of another size into the first frame's size (a video track has one size),
 * encodes it and hands back the chunks made so far. The page waits while the encoder holds more
 * than two frames, so the caller feels the encoder's pace.
 */
const PAGE_ENCODER = `(() => {
  const state = { encoder: null, config: null, chunks: [], error: null, width: 0, height: 0, canvas: null, resized: 0 };
  const base64 = (bytes) => {
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(text);
  };
  const take = () => {
    if (state.error) throw new Error(state.error);
    const chunks = state.chunks;
    state.chunks = [];
    return chunks;
  };
  globalThis.__custosVideoEncoder = {
    start(config) {
      if (typeof VideoEncoder !== 'function') throw new Error('this page has no WebCodecs VideoEncoder (it must be a secure context)');
      if (state.encoder && state.encoder.state !== 'closed') state.encoder.close();
      Object.assign(state, { encoder: null, config, chunks: [], error: null, width: 0, height: 0, canvas: null, resized: 0 });
      return true;
    },
    async encode(jpeg, timestamp, keyFrame) {
      const bytes = Uint8Array.from(atob(jpeg), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
      let size = null;
      if (!state.encoder) {
        const config = { ...state.config, width: bitmap.width, height: bitmap.height };
        const support = await VideoEncoder.isConfigSupported(config);
        if (!support.supported) throw new Error('the browser cannot encode ' + config.codec + ' at ' + config.width + 'x' + config.height);
        state.encoder = new VideoEncoder({
          output: (chunk) => {
            const data = new Uint8Array(chunk.byteLength);
            chunk.copyTo(data);
            state.chunks.push({ type: chunk.type, timestamp: chunk.timestamp, data: base64(data) });
          },
          error: (error) => { state.error = String(error && error.message ? error.message : error); },
        });
        state.encoder.configure(config);
        state.width = bitmap.width;
        state.height = bitmap.height;
        size = { width: bitmap.width, height: bitmap.height };
      }
      let source = bitmap;
      if (bitmap.width !== state.width || bitmap.height !== state.height) {
        state.canvas = state.canvas || new OffscreenCanvas(state.width, state.height);
        const context = state.canvas.getContext('2d');
        const scale = Math.min(state.width / bitmap.width, state.height / bitmap.height);
        const width = Math.round(bitmap.width * scale);
        const height = Math.round(bitmap.height * scale);
        context.fillStyle = '#000';
        context.fillRect(0, 0, state.width, state.height);
        context.drawImage(bitmap, Math.floor((state.width - width) / 2), Math.floor((state.height - height) / 2), width, height);
        source = state.canvas;
        state.resized++;
      }
      const frame = new VideoFrame(source, { timestamp });
      bitmap.close();
      try {
        state.encoder.encode(frame, { keyFrame });
      } finally {
        frame.close();
      }
      while (state.encoder.encodeQueueSize > 2 && !state.error) {
        await new Promise((resolve) => state.encoder.addEventListener('dequeue', resolve, { once: true }));
      }
      return { chunks: take(), size };
    },
    async finish() {
      if (state.encoder && state.encoder.state === 'configured') await state.encoder.flush();
      const chunks = take();
      if (state.encoder && state.encoder.state !== 'closed') state.encoder.close();
      return { chunks, resized: state.resized };
    },
    stop() {
      if (state.encoder && state.encoder.state !== 'closed') state.encoder.close();
      state.encoder = null;
      return true;
    },
  };
  return true;
})()`;

/** What a WebM track needs to know to be decoded. */
export interface DecoderConfig {
  readonly codec: string;
  readonly codedWidth: number;
  readonly codedHeight: number;
}

/** What the encoder says when it is finished. */
export interface EncoderResult {
  readonly chunks: readonly EncodedChunk[];
  /** Frames of another size than the first, letterboxed into it. */
  readonly resized: number;
}

/** Drives WebCodecs' VideoEncoder in an encoder page, one JPEG frame at a time. */
export class PageVideoEncoder {
  /** The video's size: the first frame's, in device pixels. */
  size: { width: number; height: number } | null = null;

  private constructor(
    private readonly page: VideoEncoderPage,
    readonly encoding: VideoEncoding,
  ) {}

  /** Installs the encoder in the page; fails with a clear message where WebCodecs is missing. */
  static async start(page: VideoEncoderPage, encoding: VideoEncoding): Promise<PageVideoEncoder> {
    const config = {
      codec: encoding.codec,
      bitrate: encoding.bitrate,
      bitrateMode: encoding.bitrateMode,
      latencyMode: encoding.latencyMode,
    };
    try {
      await page.evaluate(`${PAGE_ENCODER} && __custosVideoEncoder.start(${JSON.stringify(config)})`);
    } catch (error) {
      throw operationFailure(`could not start the video encoder: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return new PageVideoEncoder(page, encoding);
  }

  /** Encodes one frame (a JPEG, base64) at `timestamp` microseconds; returns the chunks ready so far. */
  async encode(
    jpeg: string,
    timestamp: number,
    keyFrame: boolean,
  ): Promise<{ chunks: EncodedChunk[]; size: { width: number; height: number } | null }> {
    const out = await this.page.evaluate<{
      chunks: WireChunk[];
      size: { width: number; height: number } | null;
    }>(`__custosVideoEncoder.encode(${JSON.stringify(jpeg)}, ${Math.round(timestamp)}, ${keyFrame})`);
    this.size ??= out.size;
    return { chunks: out.chunks.map(fromWire), size: out.size };
  }

  /** The decoder configuration of the track, once the first frame was encoded. */
  get decoderConfig(): DecoderConfig | null {
    return this.size
      ? { codec: this.encoding.codec, codedWidth: this.size.width, codedHeight: this.size.height }
      : null;
  }

  /** Flushes the encoder and returns the last chunks. */
  async finish(): Promise<EncoderResult> {
    const out = await this.page.evaluate<{ chunks: WireChunk[]; resized: number }>(
      '__custosVideoEncoder.finish()',
    );
    return { ...out, chunks: out.chunks.map(fromWire) };
  }

  /** Drops the encoder without flushing (a discarded recording). */
  async stop(): Promise<void> {
    await this.page.evaluate('__custosVideoEncoder.stop()').catch(() => undefined);
  }
}

function fromWire(chunk: WireChunk): EncodedChunk {
  return { type: chunk.type, timestamp: chunk.timestamp, data: Buffer.from(chunk.data, 'base64') };
}

/** Bytes a WebM holds besides the frames: headers, and per frame its block header and a cue. */
const WEBM_HEADER_RESERVE = 4096;
const WEBM_PER_FRAME_RESERVE = 48;

/**
 * Writes encoded chunks into a WebM file (mediabunny's muxer), keeping count of the bytes the
 * file will have, with a margin for headers and cues, so that it never grows past a limit: a
 * chunk that would take it past the limit is refused, and the file ends before it.
 */
export class WebmWriter {
  private bytes = WEBM_HEADER_RESERVE;
  private held: EncodedChunk | null = null;
  private written = 0;
  private keyFrames = 0;
  private lastTimestamp = -1;

  private constructor(
    private readonly output: import('mediabunny').Output,
    private readonly source: import('mediabunny').EncodedVideoPacketSource,
    private readonly mediabunny: typeof import('mediabunny'),
    private readonly maxBytes: number,
    private readonly decoderConfig: () => DecoderConfig | null,
  ) {}

  /** Opens `file` for a VP8 or VP9 track. */
  static async open(
    file: string,
    codec: string,
    maxBytes: number,
    decoderConfig: () => DecoderConfig | null,
  ): Promise<WebmWriter> {
    const mediabunny = await import('mediabunny');
    const output = new mediabunny.Output({
      format: new mediabunny.WebMOutputFormat(),
      target: new mediabunny.FilePathTarget(file),
    });
    const source = new mediabunny.EncodedVideoPacketSource(codec.startsWith('vp09') ? 'vp9' : 'vp8');
    output.addVideoTrack(source);
    await output.start();
    return new WebmWriter(output, source, mediabunny, maxBytes, decoderConfig);
  }

  /** The size the file will have with what it was given so far (an upper bound). */
  get size(): number {
    return this.bytes;
  }

  /** Frames in the file. */
  get frames(): number {
    return this.written + (this.held ? 1 : 0);
  }

  /** Microseconds of the last frame taken, or -1. */
  get lastFrameTimestamp(): number {
    return this.held?.timestamp ?? this.lastTimestamp;
  }

  /** Key frames in the file. */
  get keyFrameCount(): number {
    return this.keyFrames;
  }

  /**
   * Takes a chunk, or refuses it (false) when the file would pass the limit. A chunk is held
   * until the next one arrives, which gives it its duration.
   */
  async add(chunk: EncodedChunk): Promise<boolean> {
    const cost = chunk.data.byteLength + WEBM_PER_FRAME_RESERVE;
    if (this.bytes + cost > this.maxBytes) return false;
    if (chunk.timestamp <= this.lastFrameTimestamp) {
      // Dropping it would break every frame decoded from it: refuse the recording instead.
      throw new Error(`the encoder returned a frame out of order (${chunk.timestamp} µs)`);
    }
    this.bytes += cost;
    if (chunk.type === 'key') this.keyFrames++;
    const previous = this.held;
    this.held = chunk;
    if (previous) await this.write(previous, (chunk.timestamp - previous.timestamp) / 1e6);
    return true;
  }

  /**
   * Writes the held chunk, shown for `lastFrameSeconds` (the screen did not change after it), and
   * closes the file. Returns the video's duration in seconds.
   */
  async finish(lastFrameSeconds: number): Promise<number> {
    const last = this.held;
    this.held = null;
    if (last) await this.write(last, lastFrameSeconds);
    if (this.written === 0) {
      await this.output.cancel();
      return 0;
    }
    await this.output.finalize();
    return last ? last.timestamp / 1e6 + lastFrameSeconds : 0;
  }

  /** Abandons the file (a discarded or failed recording). */
  async cancel(file: string): Promise<void> {
    await this.output.cancel().catch(() => undefined);
    await fs.rm(file, { force: true });
  }

  private async write(chunk: EncodedChunk, duration: number): Promise<void> {
    const { EncodedPacket } = this.mediabunny;
    const first = this.written === 0;
    const config = first ? this.decoderConfig() : null;
    await this.source.add(
      new EncodedPacket(chunk.data, chunk.type, chunk.timestamp / 1e6, duration),
      config ? { decoderConfig: config } : undefined,
    );
    this.written++;
    this.lastTimestamp = chunk.timestamp;
  }
}
