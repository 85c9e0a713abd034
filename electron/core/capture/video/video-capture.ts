import fs from 'node:fs/promises';
import path from 'node:path';
import type { Protocol } from 'devtools-protocol';
import { LIVE_VIDEO_LIMITS, type LiveVideoProgress } from '../../../../shared/api.js';
import { badInput, operationFailure } from '../../errors.js';
import type { BrowserSetup, CapturedFile } from '../engine/capture-page.js';
import {
  type CaptureSubject,
  type LiveRecordParties,
  liveRecordParties,
  workstationFacts,
} from '../engine/capture-record.js';
import type { CdpSession } from '../engine/cdp-session.js';
import { IsolatedWorld } from '../engine/isolated-world.js';
import {
  DEFAULT_VIDEO_ENCODING,
  type EncodedChunk,
  PageVideoEncoder,
  type VideoEncoderPage,
  type VideoEncoding,
  WebmWriter,
} from './video-encoder.js';

/** When a recording stops by itself. */
export interface VideoLimits {
  /** The WebM file never grows past this many bytes. */
  readonly maxBytes: number;
  /** Seconds of video, by the frames' own timestamps. */
  readonly maxSeconds: number;
}

/** 200 MB or 30 minutes, whichever comes first (shared/api.ts). */
export const DEFAULT_VIDEO_LIMITS: VideoLimits = {
  maxBytes: LIVE_VIDEO_LIMITS.maxBytes,
  maxSeconds: LIVE_VIDEO_LIMITS.maxSeconds,
};
const MIN_VIDEO_BYTES = LIVE_VIDEO_LIMITS.minBytes;
const MAX_VIDEO_SECONDS = LIVE_VIDEO_LIMITS.longestSeconds;

/** Checks limits given by a caller; a missing one takes the default. */
export function checkVideoLimits(limits: Partial<VideoLimits> = {}): VideoLimits {
  const maxBytes = limits.maxBytes ?? DEFAULT_VIDEO_LIMITS.maxBytes;
  const maxSeconds = limits.maxSeconds ?? DEFAULT_VIDEO_LIMITS.maxSeconds;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < MIN_VIDEO_BYTES) {
    throw badInput(
      `the video size limit must be a whole number of bytes, at least ${MIN_VIDEO_BYTES} (64 KiB); it was ${maxBytes}`,
    );
  }
  if (!Number.isFinite(maxSeconds) || maxSeconds <= 0 || maxSeconds > MAX_VIDEO_SECONDS) {
    throw badInput(
      `the video duration limit must be more than 0 and at most 24 hours; it was ${maxSeconds} s`,
    );
  }
  return { maxBytes, maxSeconds };
}

/** Why a recording stopped. */
export type VideoStopReason = 'investigator' | 'size-limit' | 'duration-limit';

/** The record of a video of the live view (its `metadata` artifact). */
export interface VideoCaptureRecord extends LiveRecordParties {
  readonly recordType: 'custos.video-capture';
  readonly recordVersion: 1;
  /** The page shown when the recording started. */
  readonly pageUrl: string;
  readonly title: string;
  /** Pages loaded while it was recorded (the investigator followed a link, say), in order. */
  readonly pageLoads: readonly { readonly url: string; readonly startedAt: string }[];
  /** The view's visible area when the recording started, CSS px. */
  readonly viewport: { readonly width: number; readonly height: number };
  readonly deviceScaleFactor: number;
  readonly video: {
    readonly mediaType: 'video/webm';
    readonly codec: string;
    readonly encoder: 'WebCodecs VideoEncoder';
    readonly encoding: VideoEncoding;
    /** Device pixels: the first frame's size (later frames of another size are letterboxed into it). */
    readonly width: number;
    readonly height: number;
    readonly frames: number;
    readonly keyFrames: number;
    readonly durationSeconds: number;
    /** Each frame's time is the browser's own (`Page.screencastFrame` metadata), not the time it arrived. */
    readonly timestamps: 'screencast-frame-metadata';
    /** UTC of the first and last frame in the video, by the browser's frame timestamps. */
    readonly firstFrameAt: string;
    readonly lastFrameAt: string;
  };
  readonly frames: {
    /** Frames the browser painted and sent while recording. */
    readonly received: number;
    readonly inVideo: number;
    /** Skipped because the encoder was still busy with an earlier frame (a newer one replaced them). */
    readonly dropped: number;
    /** Left out because the size limit was reached while they were being encoded. */
    readonly afterLimit: number;
    /** Of another size than the first (the view was resized), letterboxed into the video's size. */
    readonly resized: number;
  };
  /** Where the page was scrolled to in the first and last frame, and how far it went (CSS px). */
  readonly scroll: {
    readonly first: { readonly x: number; readonly y: number };
    readonly last: { readonly x: number; readonly y: number };
    readonly maxY: number;
  };
  readonly limits: VideoLimits;
  readonly stoppedBy: VideoStopReason;
  readonly recording: {
    readonly startedAt: string;
    readonly stoppedAt: string;
    readonly timeZone: string;
    readonly utcOffset: string;
  };
  readonly notes: readonly string[];
}

/** The files of a video capture and its record. */
export interface VideoCapture {
  readonly record: VideoCaptureRecord;
  readonly files: readonly CapturedFile[];
}

/** How far a recording has got, for the screen. */
export type VideoProgress = LiveVideoProgress;

interface Frame {
  /** JPEG, base64, as the browser sent it. */
  readonly data: string;
  /** Seconds since the epoch, the browser's own. */
  readonly timestamp: number;
  readonly scroll: { readonly x: number; readonly y: number };
}

/** What the page is when the recording starts. */
interface PageFacts {
  readonly url: string;
  readonly title: string;
  readonly width: number;
  readonly height: number;
  readonly scale: number;
}

const TIMEOUT_MS = 30_000;
/** How long the last frame is shown (one frame at 30 per second). */
const MIN_LAST_FRAME_SECONDS = 1 / 30;
const PROGRESS_EVERY_MS = 500;
/** How long a start waits for the view's first frame (a view that paints nothing still records). */
const FIRST_FRAME_WAIT_MS = 3000;

/**
 * A video of the live view while the investigator scrolls: DevTools' screencast
 * (`Page.startScreencast`) sends a JPEG each time the view paints, with the browser's own
 * timestamp; each is encoded with WebCodecs in a separate encoder page and muxed into a WebM file
 * as it comes, so the size limit is known at every frame. The captured page runs no code of the
 * recording and cannot tell it is recorded. The newest frame waits while the encoder is busy (an
 * older waiting one is dropped and counted). It stops when asked, at the size limit or at the
 * duration limit, and says which.
 */
export class VideoRecording {
  readonly stopped: Promise<VideoStopReason>;
  private resolveStopped!: (reason: VideoStopReason) => void;
  private reason: VideoStopReason | null = null;
  private failure: Error | null = null;
  private pending: Frame | null = null;
  private pumping: Promise<void> | null = null;
  private readonly inEncoder = new Map<number, Frame>();
  private firstTimestamp: number | null = null;
  private lastAccepted = -1;
  private lastKeyUs = -1;
  private firstFrame: Frame | null = null;
  private lastFrame: Frame | null = null;
  private maxScrollY = 0;
  private received = 0;
  private dropped = 0;
  private limitHit = false;
  private stoppedAt: Date | null = null;
  private lastProgress = 0;
  private readonly pageLoads: { url: string; startedAt: string }[] = [];
  private readonly notes: string[] = [];
  private readonly unsubscribe: () => void;
  private readonly timer: NodeJS.Timeout;
  private sawFrame!: () => void;
  private readonly firstFrameSeen = new Promise<void>((resolve) => {
    this.sawFrame = resolve;
  });

  private constructor(
    private readonly session: CdpSession,
    private readonly encoder: PageVideoEncoder,
    private readonly writer: WebmWriter,
    private readonly file: string,
    readonly limits: VideoLimits,
    readonly facts: PageFacts,
    readonly startedAt: Date,
    private readonly onProgress: (progress: VideoProgress) => void,
  ) {
    this.stopped = new Promise((resolve) => {
      this.resolveStopped = resolve;
    });
    this.unsubscribe = session.on('Page.screencastFrame', (event) => this.onFrame(event));
    // A view that stops painting sends no frames to count time by: the wall clock ends it then.
    this.timer = setTimeout(() => this.stop('duration-limit'), limits.maxSeconds * 1000 + 1000);
    this.timer.unref?.();
  }

  /** Starts the screencast of the page in `session`, encoding in `encoderPage`, writing into `workDir`. */
  static async start(
    session: CdpSession,
    mainFrameId: string,
    encoderPage: VideoEncoderPage,
    workDir: string,
    limits: VideoLimits,
    onProgress: (progress: VideoProgress) => void = () => undefined,
    encoding: VideoEncoding = DEFAULT_VIDEO_ENCODING,
  ): Promise<VideoRecording> {
    const startedAt = new Date();
    const facts = await new IsolatedWorld(session, mainFrameId, TIMEOUT_MS).evaluate<PageFacts>(
      '({ url: location.href, title: document.title, width: document.documentElement.clientWidth, height: document.documentElement.clientHeight, scale: devicePixelRatio })',
    );
    if (!/^https?:/i.test(facts.url)) {
      throw badInput('the live view shows no web page yet: enter an address and let it load, then record');
    }
    const encoder = await PageVideoEncoder.start(encoderPage, encoding);
    const file = path.join(workDir, 'recording.webm');
    const writer = await WebmWriter.open(file, encoding.codec, limits.maxBytes, () => encoder.decoderConfig);
    const recording = new VideoRecording(
      session,
      encoder,
      writer,
      file,
      limits,
      facts,
      startedAt,
      onProgress,
    );
    try {
      await session.send('Page.startScreencast', { format: 'jpeg', quality: 90, everyNthFrame: 1 });
    } catch (error) {
      recording.stop('investigator');
      await recording.discard();
      throw operationFailure(`could not start recording the view: ${(error as Error).message}`, {
        cause: error,
      });
    }
    // Started once the first frame is in, so that a stop right after the start still has a picture.
    let wait: NodeJS.Timeout | undefined;
    await Promise.race([
      recording.firstFrameSeen,
      new Promise<void>((resolve) => {
        wait = setTimeout(resolve, FIRST_FRAME_WAIT_MS);
      }),
    ]);
    clearTimeout(wait);
    return recording;
  }

  /** Whether it still takes frames. */
  get recording(): boolean {
    return this.reason === null;
  }

  /** Why it stopped, once it has. */
  get stopReason(): VideoStopReason | null {
    return this.reason;
  }

  /** How far it has got. */
  get progress(): VideoProgress {
    const last = this.writer.lastFrameTimestamp;
    return { frames: this.writer.frames, bytes: this.writer.size, seconds: last > 0 ? last / 1e6 : 0 };
  }

  /** The investigator's stop; false when it had already stopped. */
  requestStop(): boolean {
    return this.stop('investigator');
  }

  /** A page load in the view while recording (the video goes on across it). */
  notePageLoad(url: string, startedAt: Date): void {
    if (this.recording) this.pageLoads.push({ url, startedAt: startedAt.toISOString() });
  }

  /**
   * Once stopped: encodes what is still waiting (not past a limit), closes the WebM and writes it,
   * the first and last frame (the browser's own JPEGs) and the record into the work folder.
   */
  async finish(
    subject: CaptureSubject,
    browser: BrowserSetup & { readonly product: string; readonly userAgent: string },
  ): Promise<VideoCapture> {
    const stoppedBy = await this.stopped;
    while (this.pumping) await this.pumping;
    if (this.failure) throw this.failed(this.failure);
    let resized = 0;
    try {
      const rest = await this.encoder.finish();
      resized = rest.resized;
      await this.take(rest.chunks);
    } catch (error) {
      throw this.failed(error as Error);
    }
    const first = this.firstFrame;
    const last = this.lastFrame;
    const size = this.encoder.size;
    if (!first || !last || !size || this.writer.frames === 0) {
      await this.writer.cancel(this.file);
      throw stoppedBy === 'size-limit'
        ? badInput(
            `the size limit of ${this.limits.maxBytes} bytes is too small for the first frame of this view; nothing was stored; record again with a larger limit`,
          )
        : operationFailure(
            'the recording holds no frame: the view did not paint while it was recorded; nothing was stored',
          );
    }
    const stoppedAt = this.stoppedAt ?? new Date();
    // The last frame is shown for one frame's time (never past the duration limit): the video's
    // times are all the browser's own; the record gives when the recording stopped.
    const held = Math.min(
      MIN_LAST_FRAME_SECONDS,
      this.limits.maxSeconds - (last.timestamp - first.timestamp),
    );
    const frames = this.writer.frames;
    const keyFrames = this.writer.keyFrameCount;
    const durationSeconds = round(await this.writer.finish(held));
    const workDir = path.dirname(this.file);
    const written = (await fs.stat(this.file)).size;
    if (written > this.limits.maxBytes) {
      // The margin kept for headers should make this impossible; a record must not claim a limit it broke.
      this.notes.push(`the file is ${written} bytes, over the limit of ${this.limits.maxBytes}`);
    }
    if (resized > 0) {
      this.notes.push(
        `${resized} frames were of another size than the first (the view was resized) and were letterboxed into ${size.width}x${size.height}`,
      );
    }
    const workstation = workstationFacts(this.startedAt);
    const record: VideoCaptureRecord = {
      recordType: 'custos.video-capture',
      recordVersion: 1,
      pageUrl: this.facts.url,
      title: this.facts.title,
      pageLoads: this.pageLoads,
      viewport: { width: this.facts.width, height: this.facts.height },
      deviceScaleFactor: this.facts.scale,
      video: {
        mediaType: 'video/webm',
        codec: this.encoder.encoding.codec,
        encoder: 'WebCodecs VideoEncoder',
        encoding: this.encoder.encoding,
        width: size.width,
        height: size.height,
        frames,
        keyFrames,
        durationSeconds,
        timestamps: 'screencast-frame-metadata',
        firstFrameAt: new Date(first.timestamp * 1000).toISOString(),
        lastFrameAt: new Date(last.timestamp * 1000).toISOString(),
      },
      frames: {
        received: this.received,
        inVideo: frames,
        dropped: this.dropped,
        afterLimit: Math.max(0, this.received - frames - this.dropped),
        resized,
      },
      scroll: { first: first.scroll, last: last.scroll, maxY: this.maxScrollY },
      limits: this.limits,
      stoppedBy,
      recording: {
        startedAt: this.startedAt.toISOString(),
        stoppedAt: stoppedAt.toISOString(),
        timeZone: workstation.timeZone,
        utcOffset: workstation.utcOffset,
      },
      notes: this.notes,
      ...liveRecordParties(subject, browser, workstation),
    };
    await fs.writeFile(path.join(workDir, 'first-frame.jpg'), Buffer.from(first.data, 'base64'));
    await fs.writeFile(path.join(workDir, 'last-frame.jpg'), Buffer.from(last.data, 'base64'));
    await fs.writeFile(path.join(workDir, 'metadata.json'), `${JSON.stringify(record, null, 2)}\n`, 'utf8');
    const file = (role: CapturedFile['role'], name: string, mediaType: string): CapturedFile => ({
      role,
      name,
      mediaType,
      path: path.join(workDir, name),
    });
    return {
      record,
      files: [
        file('video', 'recording.webm', 'video/webm'),
        file('viewport', 'first-frame.jpg', 'image/jpeg'),
        file('viewport', 'last-frame.jpg', 'image/jpeg'),
        file('metadata', 'metadata.json', 'application/json'),
      ],
    };
  }

  /** Stops without keeping anything (a cancel, or a failure): the encoder and the file are let go. */
  async discard(): Promise<void> {
    this.stop('investigator');
    this.pending = null;
    this.limitHit = true;
    while (this.pumping) await this.pumping;
    await this.encoder.stop();
    await this.writer.cancel(this.file);
  }

  private stop(reason: VideoStopReason): boolean {
    if (this.reason) return false;
    this.reason = reason;
    this.stoppedAt = new Date();
    clearTimeout(this.timer);
    this.unsubscribe();
    void this.session.send('Page.stopScreencast').catch(() => undefined);
    this.resolveStopped(reason);
    return true;
  }

  private onFrame(event: Protocol.Page.ScreencastFrameEvent): void {
    void this.session.send('Page.screencastFrameAck', { sessionId: event.sessionId }).catch(() => undefined);
    if (!this.recording) return;
    const { timestamp, scrollOffsetX, scrollOffsetY } = event.metadata;
    if (timestamp !== undefined && this.firstTimestamp !== null) {
      if (timestamp - this.firstTimestamp >= this.limits.maxSeconds) {
        this.stop('duration-limit');
        return;
      }
    }
    this.received++;
    if (timestamp === undefined || timestamp <= this.lastAccepted) {
      // Without its own time a frame cannot be placed in the video; out of order, it would go back in time.
      this.dropped++;
      if (timestamp === undefined && !this.notes.some((n) => n.startsWith('frames without'))) {
        this.notes.push('frames without a timestamp from the browser were left out');
      }
      return;
    }
    this.firstTimestamp ??= timestamp;
    this.lastAccepted = timestamp;
    this.sawFrame();
    if (this.pending) this.dropped++;
    this.pending = { data: event.data, timestamp, scroll: { x: scrollOffsetX, y: scrollOffsetY } };
    this.pump();
  }

  /** Feeds the encoder the newest waiting frame, one at a time, until none waits. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = (async () => {
      try {
        while (this.pending && !this.limitHit && !this.failure) {
          const frame = this.pending;
          this.pending = null;
          const us = Math.round((frame.timestamp - (this.firstTimestamp ?? frame.timestamp)) * 1e6);
          const key =
            this.lastKeyUs < 0 || us - this.lastKeyUs >= this.encoder.encoding.keyFrameEverySeconds * 1e6;
          if (key) this.lastKeyUs = us;
          this.inEncoder.set(us, frame);
          const { chunks } = await this.encoder.encode(frame.data, us, key);
          await this.take(chunks);
        }
      } catch (error) {
        this.failure = error as Error;
        this.stop('investigator');
      } finally {
        this.pumping = null;
      }
    })();
  }

  /** Writes encoded chunks, until one would pass the size limit: the recording stops there. */
  private async take(chunks: readonly EncodedChunk[]): Promise<void> {
    for (const chunk of chunks) {
      if (this.limitHit) return;
      if (!(await this.writer.add(chunk))) {
        this.limitHit = true;
        this.pending = null;
        this.stop('size-limit');
        return;
      }
      const frame = this.inEncoder.get(chunk.timestamp);
      if (frame) {
        this.firstFrame ??= frame;
        this.lastFrame = frame;
        this.maxScrollY = Math.max(this.maxScrollY, frame.scroll.y);
        for (const us of this.inEncoder.keys()) if (us <= chunk.timestamp) this.inEncoder.delete(us);
      }
    }
    const now = Date.now();
    if (now - this.lastProgress >= PROGRESS_EVERY_MS) {
      this.lastProgress = now;
      this.onProgress(this.progress);
    }
  }

  private failed(error: Error): Error {
    void this.writer.cancel(this.file);
    return operationFailure(`the video could not be encoded: ${error.message}`, { cause: error });
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
