import { holdV8FlagThroughWorkers } from '../core/worker-thread.js';

/**
 * Holds V8's young generation at the size it has when this is called, for the rest of the process:
 * the CLI's export calls it before it starts, so that its peak memory does not grow with how far
 * V8's young-generation collections lag its reads.
 *
 * Why: a buffer the export lets go (a chunk of a deflated file, of the PDF Chromium hands over, of
 * zlib's output) is freed only when V8 next collects the young generation, and V8 grows that
 * generation from 1 MiB up to 16 MiB per semi-space as a busy process allocates: at 16 MiB, tens of
 * MiB of dead buffers waited for each collection, and the bench's bulk export peaked at 293-323 MiB
 * on an idle machine against the goal of 300 (docs/ARCHITECTURE.md, "Export's peak memory").
 *
 * How: V8 sizes the young generation's ceiling (`--max-semi-space-size`) once, when it makes the
 * heap, before any of our code runs; set later, that flag does nothing (the launcher set it from
 * issue 18's fifth round to its seventh, without effect: test/cli/young-generation.test.ts now
 * checks the effect itself). The growth factor is read each time V8 grows the generation, so a
 * factor of 1 stops the growth from here on. Node documents flags set after start-up as unsupported;
 * the test checks that this one still takes effect on the Node the tests run on. A size the user
 * gave Node (`--max-semi-space-size` or `--semi-space-growth-factor`, as a flag or in NODE_OPTIONS)
 * is left alone.
 */
export function holdYoungGeneration(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
): boolean {
  if ([...execArgv, nodeOptions].some((arg) => /semi[-_]space/.test(arg))) return false;
  // V8 sets the factor back to its default (2) whenever it makes a heap, and each worker thread
  // (the PDF join's) has one: the generation grew to 32 MiB again after it, as an export's end did
  // (an idle bench peaked at 290-301 MiB). Every worker of ours sets it again as its first line,
  // before the export's thread goes on (core/worker-thread.ts).
  holdV8FlagThroughWorkers('--semi-space-growth-factor=1');
  return true;
}
