import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import { receiveBundle } from '../../../electron/core/bundle/receive-bundle.js';
import { dropAppendOnlyTriggers, sqliteShell } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';
import { type CaseFixture, makeCaseFixture } from './bundle-fixtures.js';

/**
 * What a store keeps of a received bundle (the sender's manifest, signature, custody lines and
 * keys) is evidence of the transfer: `custos audit` must notice when someone with access to the
 * database edits it, as it does for the store's own ledger.
 */
describe('audit of received bundles', () => {
  let sender: CaseFixture;
  let bundleFile: string;
  beforeAll(async () => {
    sender = await makeCaseFixture();
    bundleFile = (await sender.exportTo('BE-1.zip')).file;
  });
  afterAll(() => sender.temp.remove());

  async function receivedStore(): Promise<TempStore> {
    const receiver = makeTempStore({ investigator: { name: 'Paula Fiscal', agency: 'Prosecution Office' } });
    const store = receiver.open();
    try {
      await receiveBundle(store, bundleFile);
    } finally {
      store.close();
    }
    return receiver;
  }

  async function auditProblems(temp: TempStore): Promise<string[]> {
    const store = temp.openForReading();
    try {
      return (await runAudit(store)).problems.map((p) => `${p.subject}: ${p.problem}`);
    } finally {
      store.close();
    }
  }

  test('a received bundle audits clean as received', async () => {
    const receiver = await receivedStore();
    try {
      expect(await auditProblems(receiver)).toEqual([]);
    } finally {
      receiver.remove();
    }
  });

  const tampering: [string, string, RegExp][] = [
    [
      "the kept manifest is edited (the sender's case renamed)",
      `${dropAppendOnlyTriggers('received_bundles')} UPDATE received_bundles SET manifest = replace(manifest, '"BE-1"', '"BE-9"');`,
      /kept manifest does not verify/,
    ],
    [
      "a sender's custody entry is edited",
      `${dropAppendOnlyTriggers('received_custody')} UPDATE received_custody SET entry = replace(entry, '"item.import"', '"item.capture"') WHERE entry LIKE '%"item.import"%';`,
      /sender's custody line \d+: entry \d+ was changed/,
    ],
    ...(
      [
        ['a number too large for a double (1e400)', '1e400', 'Infinity is not allowed'],
        ['a lone surrogate', '"\\ud800"', 'Lone surrogate is not allowed'],
      ] as const
    ).map(([what, value, reason]): [string, string, RegExp] => [
      `a sender's custody entry is edited to hold ${what}`,
      `${dropAppendOnlyTriggers('received_custody')} UPDATE received_custody SET entry = replace(entry, '"details":{', '"details":{"x":${value},') WHERE line = (SELECT min(line) FROM received_custody WHERE entry IS NOT NULL);`,
      new RegExp(
        `sender's custody line \\d+: entry \\d+ cannot be encoded as canonical JSON \\(${reason}\\): the entry was changed`,
      ),
    ]),
    [
      "a sender's custody line is deleted",
      `${dropAppendOnlyTriggers('received_custody')} DELETE FROM received_custody WHERE line = 2;`,
      /sender's custody line \d+: sequence \d+ does not follow/,
    ],
    [
      'the last custody lines are cut off',
      `${dropAppendOnlyTriggers('received_custody')} DELETE FROM received_custody WHERE line = (SELECT max(line) FROM received_custody);`,
      /no longer end at the head the sender's manifest names/,
    ],
    [
      "the sender's key is swapped for another",
      `${dropAppendOnlyTriggers('received_bundles')} UPDATE received_bundles SET signer_fingerprint = '${'0'.repeat(64)}';`,
      /kept public key does not match the sender's fingerprint/,
    ],
  ];
  test.each(tampering)('names the received bundle when %s', async (_what, sql, expected) => {
    const receiver = await receivedStore();
    try {
      sqliteShell(receiver.dir, sql);
      const problems = await auditProblems(receiver);
      expect(
        problems.some((p) => p.startsWith('received bundle ') && expected.test(p)),
        problems.join('\n'),
      ).toBe(true);
    } finally {
      receiver.remove();
    }
  });
});
