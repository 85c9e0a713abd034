import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Output } from '../../electron/cli/output.js';

// The progress printer (electron/cli/output.ts) on a stream that records what it is given: a
// terminal (`isTTY`) redraws one progress line with a carriage return; a message, a result or the
// error that ends a command must start on a line of its own, not after the progress on its line.

const CLEAR_LINE = '\r\x1b[K';

/** A stream that records every write, a terminal or not. */
function recordingStream(isTTY: boolean): { stream: NodeJS.WriteStream; writes: string[] } {
  const writes: string[] = [];
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  stream.isTTY = isTTY;
  stream.write = ((chunk: string) => {
    writes.push(chunk);
    return true;
  }) as NodeJS.WriteStream['write'];
  return { stream, writes };
}

function outputOn(isTTY: boolean): { out: Output; writes: string[] } {
  const { stream, writes } = recordingStream(isTTY);
  return { out: new Output(false, recordingStream(false).stream, stream), writes };
}

describe('the progress line on stderr', () => {
  it('on a terminal, a message after progress starts on a cleared line, not after the progress', () => {
    const { out, writes } = outputOn(true);
    out.progress({ done: 5, total: 10, label: 're-hashing blobs' });
    out.message('note: something happened');
    expect(writes.join('')).toBe(
      `${CLEAR_LINE}re-hashing blobs 50% (5/10)${CLEAR_LINE}note: something happened\n`,
    );
  });

  it('on a terminal, ending the progress clears its line once, however many exit paths end it', () => {
    const { out, writes } = outputOn(true);
    out.progress({ done: 1, total: 1, label: 'x' });
    out.progressDone();
    out.progressDone();
    out.message('done');
    expect(writes.join('')).toBe(`${CLEAR_LINE}x 100% (1/1)${CLEAR_LINE}done\n`);
  });

  it('on a terminal with no progress drawn, a message is written as it is, nothing cleared', () => {
    const { out, writes } = outputOn(true);
    out.progressDone();
    out.message('note: nothing in progress');
    expect(writes).toEqual(['note: nothing in progress\n']);
  });

  it('not on a terminal, progress and its end write nothing: only the messages', () => {
    const { out, writes } = outputOn(false);
    out.progress({ done: 5, total: 10, label: 're-hashing blobs' });
    out.message('note: something happened');
    out.progressDone();
    expect(writes).toEqual(['note: something happened\n']);
  });

  it('a message said once per command with one key is written once', () => {
    const { out, writes } = outputOn(false);
    out.messageOnce('wait', 'note: waiting');
    out.messageOnce('wait', 'note: waiting (another holder)');
    out.messageOnce('other', 'note: another');
    expect(writes).toEqual(['note: waiting\n', 'note: another\n']);
  });
});
