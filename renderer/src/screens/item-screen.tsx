import { useEffect, useState } from 'react';
import type { ItemDetailView } from '../../../shared/api.js';
import { ArtifactViewer } from '../components/artifact-viewer.js';
import { actionLabel, entrySummary } from '../components/custody.js';
import { FormError } from '../components/field.js';
import { Icon } from '../components/icons.js';
import { useNotice } from '../components/notices.js';
import { SubmitButton } from '../components/submit-button.js';
import {
  BidiText,
  CopyButton,
  HashText,
  ShortUrl,
  UntrustedText,
  withInvisiblesShown,
} from '../components/text.js';
import { useLoad } from '../hooks/use-load.js';
import { useSubmit } from '../hooks/use-submit.js';
import { formatBytes, formatTime, t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';
import { useAppState } from '../state/app-state.js';
import { CaptureRecordPanel } from './capture-record-panel.js';
import { ItemEntitiesPanel } from './item-entities-panel.js';
import { ItemTimestampStatus } from './item-timestamp.js';
import { MediaMetadataPanel, SimilarImagesPanel } from './media-panels.js';
import { PictureTextPanel } from './picture-text-panel.js';

/** One item: its pictures and text, its capture record, artifacts, notes, tags and custody. */
export function ItemScreen({ itemId }: Readonly<{ itemId: string }>) {
  const { navigate } = useAppState();
  const item = useLoad(() => call('getItem', { itemId }), [itemId]);
  // Bumped when the item changed (a candidate decided): its entities, marks and custody load again.
  const [revision, setRevision] = useState(0);
  const pictureText = useLoad(() => call('getItemPictureText', { itemId }), [itemId]);
  const marks = useLoad(() => call('getItemSelectorMarks', { itemId }), [itemId, revision]);
  // Undefined until the marks are answered, null when they could not be read: the viewer draws the
  // text and a picture's lines once it knows where the selectors are, not unmarked first. A refresh
  // that fails (after a candidate was decided) drops the marks from before, with the same warning as
  // a first failure: they may no longer be where the selectors are, and a mark or its absence that
  // cannot be trusted is worse than none said to be missing.
  const shownMarks = marks.error ? null : marks.value;
  const changed = () => {
    setRevision((r) => r + 1);
    item.reload();
  };
  // The timestamp is asked for just after the capture was answered: it may arrive while this is open.
  const stampPending = item.value?.timestamps.some((s) => s.status === 'pending') ?? false;
  const stampGranted = item.value?.timestamps.some((s) => s.status === 'granted') ?? false;
  // A request still pending when the answer comes was refused: loaded again, it shows why.
  const stampReason = item.value?.timestamps.some((s) => s.lastError !== null) ?? false;
  const { reload } = item;
  useEffect(() => {
    if (!stampPending || stampGranted) return;
    const controller = new AbortController();
    call('waitForTimestamps', { itemIds: [itemId] }, { signal: controller.signal }).then(
      (statuses) => (statuses[itemId] === 'granted' || !stampReason) && reload(),
      () => undefined,
    );
    return () => controller.abort();
  }, [stampPending, stampGranted, stampReason, itemId, reload]);

  // Escape goes back to the list (unless a field is being edited).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
      if (event.key === 'Escape' && !typing) navigate({ screen: 'evidence' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);

  const value = item.value;
  return (
    <>
      <div className="screen-head">
        <button
          type="button"
          className="btn icon"
          aria-label={t('item.back')}
          title={t('item.back')}
          onClick={() => navigate({ screen: 'evidence' })}
        >
          <Icon name="back" />
        </button>
        <div style={{ minWidth: 0, flex: 1 }}>
          <h1 className="ellipsis">
            {value ? <BidiText text={value.title ?? value.source} /> : t('common.loading')}
          </h1>
          {value && (
            <div className="sub ellipsis">
              {value.url ? <ShortUrl url={value.url} /> : <BidiText text={value.source} />}
            </div>
          )}
        </div>
        {value && (
          <div style={{ textAlign: 'end' }}>
            <div className="muted" style={{ fontSize: 11 }}>
              {t('item.digest')}
            </div>
            <div className="row">
              <HashText hash={value.digest} length={24} />
              <CopyButton value={value.digest} />
            </div>
          </div>
        )}
      </div>
      <div className="screen-body flush">
        {item.error && <div className="error-box">{item.error.message}</div>}
        {value && (
          <div className="item-layout">
            <ArtifactViewer
              itemId={value.id}
              artifacts={value.artifacts}
              replay={value.url !== null}
              pictureText={pictureText.value}
              marks={shownMarks}
              marksFailure={marks.error?.message}
            />
            <div className="side">
              <CaptureRecordPanel item={value} />
              <MediaMetadataPanel item={value} />
              <ItemEntitiesPanel
                itemId={value.id}
                itemName={value.title ?? value.source}
                revision={revision}
                onChanged={changed}
              />
              <PictureTextPanel text={pictureText.value} />
              <SimilarImagesPanel item={value} />
              <ArtifactsPanel item={value} onChanged={item.reload} />
              <TagsPanel item={value} onChanged={item.reload} />
              <NotesPanel item={value} onChanged={item.reload} />
              <CustodyPanel item={value} />
            </div>
          </div>
        )}
      </div>
    </>
  );
}

function ArtifactsPanel({ item, onChanged }: Readonly<{ item: ItemDetailView; onChanged: () => void }>) {
  return (
    <section className="panel" aria-labelledby="artifacts-head">
      <div className="panel-head">
        <h3 id="artifacts-head">{t('item.artifacts', { count: item.artifacts.length })}</h3>
      </div>
      <table className="simple-table">
        <thead>
          <tr>
            <th>{t('item.role')}</th>
            <th>{t('item.size')}</th>
            <th>{t('item.sha256')}</th>
          </tr>
        </thead>
        <tbody>
          {item.artifacts.map((a) => (
            <tr key={a.sha256 + a.role}>
              <td>
                {t(`role.${a.role}`)}
                <div className="faint" style={{ fontSize: 11 }}>
                  {a.mediaType}
                </div>
              </td>
              <td style={{ whiteSpace: 'nowrap' }}>{formatBytes(a.size)}</td>
              <td>
                <span className="hash" style={{ wordBreak: 'break-all', fontSize: 11 }}>
                  {a.sha256}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="panel-body" style={{ borderTop: '1px solid var(--border)' }}>
        <ItemTimestampStatus timestamps={item.timestamps} onRequested={onChanged} />
      </div>
    </section>
  );
}

function TagsPanel({ item, onChanged }: Readonly<{ item: ItemDetailView; onChanged: () => void }>) {
  const [tag, setTag] = useState('');
  const [error, setError] = useState<string | null>(null);
  const notice = useNotice();
  // One tag at a time: an Enter pressed again while it is added is told to wait, not sent twice.
  const adding = useSubmit(
    async () => {
      const entry = await call('addTag', { itemId: item.id, tag });
      setTag('');
      setError(null);
      notice({ tone: 'good', title: t('item.tagAdded', { seq: entry.seq }) });
      onChanged();
    },
    [tag],
    tag.trim() === '' ? t('item.missingTag') : null,
  );
  // A removal is a custody entry of its own; the tag and when it was given stay in the log.
  const remove = async (x: string) => {
    try {
      const [entry] = await call('tagItems', { itemIds: [item.id], tag: x, remove: true });
      setError(null);
      notice({ tone: 'good', title: t('item.tagRemoved', { tag: x, seq: entry?.seq ?? 0 }) });
      onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section className="panel" aria-labelledby="tags-head">
      <div className="panel-head">
        <h3 id="tags-head">{t('item.tags')}</h3>
      </div>
      <div className="panel-body">
        <div style={{ marginBottom: 8 }}>
          {item.tags.length === 0 && <span className="faint">{t('item.noTags')}</span>}
          {item.tags.map((x) => (
            <span key={x} className="tag removable" dir="auto">
              <UntrustedText text={x} />
              <button
                type="button"
                className="tag-remove"
                aria-label={t('item.removeTag', { tag: withInvisiblesShown(x) })}
                title={t('item.removeTag', { tag: withInvisiblesShown(x) })}
                onClick={() => void remove(x)}
              >
                <Icon name="cross" size={10} />
              </button>
            </span>
          ))}
        </div>
        <form className="row tag-form" onSubmit={adding.onSubmit}>
          <input
            className="input"
            style={{ flex: 1 }}
            dir="auto"
            value={tag}
            aria-label={t('item.newTag')}
            placeholder={t('item.newTag')}
            onChange={(e) => setTag(e.target.value)}
          />
          <SubmitButton submission={adding} className="btn">
            {t('item.addTag')}
          </SubmitButton>
        </form>
        <FormError message={adding.error ?? error} />
      </div>
    </section>
  );
}

function NotesPanel({ item, onChanged }: Readonly<{ item: ItemDetailView; onChanged: () => void }>) {
  const [text, setText] = useState('');
  const notice = useNotice();
  // One note at a time: a note is a custody entry, never written twice by a second Enter.
  const saving = useSubmit(
    async () => {
      const entry = await call('addNote', { itemId: item.id, text });
      setText('');
      notice({ tone: 'good', title: t('item.noteAdded', { seq: entry.seq }) });
      onChanged();
    },
    [text],
    text.trim() === '' ? t('item.missingNote') : null,
  );
  return (
    <section className="panel" aria-labelledby="notes-head">
      <div className="panel-head">
        <h3 id="notes-head">{t('item.notes', { count: item.notes.length })}</h3>
      </div>
      <div className="panel-body tight">
        {item.notes.map((n, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: notes are append-only, their order never changes
          <div key={index} className="note">
            <div className="meta">{formatTime(n.createdAt)}</div>
            <div className="bidi" dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
              <UntrustedText text={n.text} />
            </div>
          </div>
        ))}
      </div>
      <form
        className="panel-body"
        style={{ borderTop: '1px solid var(--border)' }}
        onSubmit={saving.onSubmit}
      >
        <textarea
          className="textarea"
          style={{ width: '100%' }}
          rows={3}
          dir="auto"
          value={text}
          aria-label={t('item.newNote')}
          placeholder={t('item.newNote')}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
        />
        <div className="row note-actions" style={{ marginTop: 6 }}>
          <span className="faint" style={{ fontSize: 11.5, flex: 1 }}>
            {t('item.noteHint')}
          </span>
          <SubmitButton submission={saving}>{t('item.addNote')}</SubmitButton>
        </div>
        <FormError message={saving.error} />
      </form>
    </section>
  );
}

function CustodyPanel({ item }: Readonly<{ item: ItemDetailView }>) {
  return (
    <section className="panel" aria-labelledby="custody-head">
      <div className="panel-head">
        <h3 id="custody-head">{t('item.custody', { count: item.custody.length })}</h3>
      </div>
      <div className="panel-body tight">
        {item.custody.map((entry) => (
          <div key={entry.seq} className="custody-entry">
            <span className="seq">#{entry.seq}</span>
            <div style={{ minWidth: 0 }}>
              <div>
                <strong>{actionLabel(entry.action)}</strong>{' '}
                <span className="muted">{formatTime(entry.time)}</span>
              </div>
              {entrySummary(entry) && (
                <div className="ellipsis bidi" dir="auto">
                  <UntrustedText text={entrySummary(entry)} />
                </div>
              )}
              <div className="faint hash" style={{ fontSize: 11 }} title={entry.hash}>
                {t('custody.entryHash', { hash: `${entry.hash.slice(0, 20)}…` })}
              </div>
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}
