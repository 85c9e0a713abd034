import { type FormEvent, useState } from 'react';
import { Dialog } from '../components/dialog.js';
import { FormError } from '../components/field.js';
import { useNotice } from '../components/notices.js';
import { t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';

/**
 * Tags the selected items at once (or removes a tag from them): one call, one custody entry per
 * item, all or none. It takes the ids of whatever the evidence list has selected.
 */
export function TagItemsDialog({
  itemIds,
  knownTags,
  onClose,
  onTagged,
}: Readonly<{
  itemIds: readonly string[];
  knownTags: readonly string[];
  onClose: () => void;
  onTagged: () => void;
}>) {
  const notice = useNotice();
  const [tag, setTag] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const count = itemIds.length;

  const apply = async (remove: boolean) => {
    setBusy(true);
    try {
      const entries = await call('tagItems', { itemIds: [...itemIds], tag, remove });
      notice({
        tone: 'good',
        title: t(remove ? 'tagItems.removed' : 'tagItems.added', { tag: tag.trim(), count: entries.length }),
      });
      onTagged();
      onClose();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void apply(false);
  };

  return (
    <Dialog
      title={t('tagItems.title', { count })}
      onClose={onClose}
      busy={busy}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.close')}
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy || tag.trim() === ''}
            onClick={() => void apply(true)}
          >
            {t('tagItems.remove', { count })}
          </button>
          <button
            type="submit"
            form="tag-items-form"
            className="btn primary"
            disabled={busy || tag.trim() === ''}
          >
            {t('tagItems.add', { count })}
          </button>
        </>
      }
    >
      <form id="tag-items-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="tag-items-tag">{t('tagItems.tag')}</label>
          <input
            id="tag-items-tag"
            className="input"
            dir="auto"
            list="tag-items-known"
            value={tag}
            onChange={(e) => {
              setTag(e.target.value);
              setError(null);
            }}
          />
          <datalist id="tag-items-known">
            {knownTags.map((known) => (
              <option key={known} value={known} />
            ))}
          </datalist>
          <span className="hint">{t('tagItems.hint')}</span>
        </div>
        <FormError message={error} />
      </form>
    </Dialog>
  );
}
