import type { ReactNode } from 'react';
import type { ItemDetailView } from '../../../shared/api.js';
import { PathText } from '../components/path-text.js';
import { BidiText, UrlText } from '../components/text.js';
import { formatBytes, formatTime, t } from '../i18n/i18n.js';

/** Reads a nested field of an untyped record (the web capture record is JSON from the store). */
function field(record: unknown, ...keys: string[]): unknown {
  let value: unknown = record;
  for (const key of keys) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null;

/**
 * What an import's record says of a path given that was a symbolic link (`metadata.symbolicLink`,
 * docs/CLI.md): the link as written and the file whose bytes were imported. Null when there is none,
 * or not in that shape (the record is read as untrusted input, as the report reads it).
 */
function symbolicLink(metadata: unknown): { target: string; importedPath: string } | null {
  const target = field(metadata, 'symbolicLink', 'target');
  const importedPath = field(metadata, 'symbolicLink', 'importedPath');
  return typeof target === 'string' && typeof importedPath === 'string' ? { target, importedPath } : null;
}

/**
 * The capture record as a court would ask about it: where the page came from (redirect chain,
 * server address, TLS), when, through which browser and persona, and what was blocked. For an
 * imported file: its original name, size and time, and when the path given was a symbolic link,
 * that path, the link as written and the file whose bytes were preserved.
 */
export function CaptureRecordPanel({ item }: Readonly<{ item: ItemDetailView }>) {
  const web = item.webRecord;
  const meta = item.record.metadata;
  const rows: [string, ReactNode][] = [];
  const add = (label: string, value: ReactNode) => {
    if (value !== null && value !== undefined && value !== '') rows.push([label, value]);
  };

  // An imported file was not captured by Custos: its time is when it was imported.
  add(t(item.kind === 'import' ? 'record.importedAt' : 'record.capturedAt'), formatTime(item.capturedAt));
  add(t('record.timeZone'), item.record.timeZone);
  add(t('record.investigator'), item.record.investigator.name);
  if (web && field(web, 'recordType') === 'custos.video-capture') {
    // A video of the live view: what it shows and why it ended, not a page load's network.
    const page = text(field(web, 'pageUrl'));
    add(t('record.pageUrl'), page && <UrlText url={page} />);
    add(
      t('record.pageTitle'),
      text(field(web, 'title')) && <BidiText text={text(field(web, 'title')) ?? ''} />,
    );
    add(
      t('record.video'),
      t('record.videoSummary', {
        frames: text(field(web, 'video', 'frames')) ?? '?',
        seconds: text(field(web, 'video', 'durationSeconds')) ?? '?',
        width: text(field(web, 'video', 'width')) ?? '?',
        height: text(field(web, 'video', 'height')) ?? '?',
        codec: text(field(web, 'video', 'codec')) ?? '?',
      }),
    );
    add(t('record.droppedFrames'), text(field(web, 'frames', 'dropped')));
    const stoppedBy = text(field(web, 'stoppedBy'));
    add(
      t('record.stoppedBy'),
      stoppedBy === 'size-limit'
        ? t('record.stoppedBySize')
        : stoppedBy === 'duration-limit'
          ? t('record.stoppedByDuration')
          : stoppedBy && t('record.stoppedByInvestigator'),
    );
    add(t('record.persona'), text(field(web, 'browser', 'persona')) ?? t('record.noPersona'));
    add(t('record.browser'), text(field(web, 'browser', 'product')));
    const stopped = text(field(web, 'recording', 'stoppedAt'));
    add(t('record.endedAt'), stopped && formatTime(stopped));
  } else if (web) {
    const requested = text(field(web, 'requestedUrl'));
    const final = text(field(web, 'finalUrl'));
    add(t('record.requestedUrl'), requested && <UrlText url={requested} />);
    if (final && final !== requested) add(t('record.finalUrl'), <UrlText url={final} />);
    add(t('record.httpStatus'), text(field(web, 'statusLine')) ?? text(field(web, 'httpStatus')));
    const ip = text(field(web, 'server', 'ip'));
    const port = text(field(web, 'server', 'port'));
    add(t('record.server'), ip && <span className="mono">{port ? `${ip}:${port}` : ip}</span>);
    add(t('record.protocol'), text(field(web, 'server', 'protocol')));
    const tls = field(web, 'tls');
    if (tls) {
      add(
        t('record.tls'),
        [text(field(tls, 'protocol')), text(field(tls, 'cipher'))].filter(Boolean).join(' · '),
      );
      add(t('record.certSubject'), text(field(tls, 'certificate', 'subject')));
      add(t('record.certIssuer'), text(field(tls, 'certificate', 'issuer')));
      const fp = text(field(tls, 'certificate', 'sha256Fingerprint'));
      add(t('record.certFingerprint'), fp && <span className="hash">{fp}</span>);
    } else add(t('record.tls'), t('record.noTls'));
    add(
      t('record.pageTitle'),
      text(field(web, 'page', 'title')) && <BidiText text={text(field(web, 'page', 'title')) ?? ''} />,
    );
    add(t('record.language'), text(field(web, 'page', 'language')));
    add(t('record.persona'), text(field(web, 'browser', 'persona')) ?? t('record.noPersona'));
    add(
      t('record.browser'),
      [text(field(web, 'browser', 'product')), text(field(web, 'browser', 'version'))]
        .filter(Boolean)
        .join(' '),
    );
    const ended = text(field(web, 'capture', 'endedAt'));
    add(t('record.endedAt'), ended && formatTime(ended));
  } else {
    add(t('record.originalName'), text(meta.originalName) && <BidiText text={String(meta.originalName)} />);
    const link = symbolicLink(meta);
    if (link) {
      // As the report says it: the path given was a link, and the bytes kept are another file's.
      // Paths (PathText): each folder isolated, so that two Arabic folder names keep their order on disk.
      add(t('record.linkPath'), text(meta.originalPath) && <PathText value={String(meta.originalPath)} />);
      add(t('record.linkTarget'), <PathText value={link.target} />);
      add(t('record.linkImported'), <PathText value={link.importedPath} />);
    }
    add(t('record.size'), typeof meta.size === 'number' ? formatBytes(meta.size) : null);
    add(t('record.modifiedAt'), text(meta.modifiedAt) && formatTime(String(meta.modifiedAt)));
    add(t('record.mediaType'), text(meta.mediaType));
    add(t('record.note'), text(meta.note));
  }

  const chain = web ? field(web, 'redirectChain') : undefined;
  // A video's record has notes too (frames letterboxed, say); its other lists are a page load's.
  const headers = web ? field(web, 'responseHeaders') : undefined;
  const notes = web ? field(web, 'notes') : undefined;
  const blocked = web ? field(web, 'blocked') : undefined;
  return (
    <section className="panel" aria-labelledby="record-head">
      <div className="panel-head">
        <h3 id="record-head">{t('record.title')}</h3>
      </div>
      <div className="panel-body">
        <dl className="kv">
          {rows.map(([label, value]) => (
            <div key={label} style={{ display: 'contents' }}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        {Array.isArray(chain) && chain.length > 0 && (
          <>
            <h3 style={{ margin: '14px 0 6px' }}>{t('record.redirects')}</h3>
            <ol style={{ margin: 0, paddingInlineStart: 22 }}>
              {chain.map((hop, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the chain is fixed and ordered
                <li key={index} style={{ marginBottom: 4 }}>
                  <span className="badge">{text(field(hop, 'status'))}</span>{' '}
                  <UrlText url={text(field(hop, 'url')) ?? ''} />
                </li>
              ))}
            </ol>
          </>
        )}
        {Array.isArray(notes) && notes.length > 0 && (
          <>
            <h3 style={{ margin: '14px 0 6px' }}>{t('record.engineNotes')}</h3>
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {notes.map((n) => (
                <li key={String(n)}>{String(n)}</li>
              ))}
            </ul>
          </>
        )}
        {Array.isArray(blocked) && blocked.length > 0 && (
          <>
            <h3 style={{ margin: '14px 0 6px' }}>{t('record.blocked', { count: blocked.length })}</h3>
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {blocked.map((b, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the list is fixed and ordered
                <li key={index}>
                  {text(field(b, 'kind'))}:{' '}
                  <span className="mono">{text(field(b, 'url')) ?? text(field(b, 'detail'))}</span>
                </li>
              ))}
            </ul>
          </>
        )}
        {Array.isArray(headers) && headers.length > 0 && (
          <details style={{ marginTop: 12 }}>
            <summary>{t('record.headers', { count: headers.length })}</summary>
            <table className="simple-table" style={{ marginTop: 6 }}>
              <tbody>
                {headers.map((h, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: headers repeat; their order is the key
                  <tr key={index}>
                    <td className="mono">{text(field(h, '0'))}</td>
                    <td className="mono" style={{ wordBreak: 'break-all' }}>
                      {text(field(h, '1'))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        )}
      </div>
    </section>
  );
}
