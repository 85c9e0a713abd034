import { useState } from 'react';
import { Dialog } from '../components/dialog.js';
import { FormError } from '../components/field.js';
import { SubmitButton } from '../components/submit-button.js';
import { closeUnlessSaving, useSubmit } from '../hooks/use-submit.js';
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
  const [tag, setTag] = useState('');
  const count = itemIds.length;
  const apply = async (remove: boolean) => {
    const entries = await call('tagItems', { itemIds: [...itemIds], tag, remove });
    submission.tell({
      tone: 'good',
      title: t(remove ? 'tagItems.removed' : 'tagItems.added', { tag: tag.trim(), count: entries.length }),
    });
    onTagged();
    // Closed already, the save having gone on: the dialog open now is another one, left open.
    if (submission.seen()) onClose();
  };
  // Adding is the form's submission (Enter); removing, its second button, waits its turn the same way.
  const submission = useSubmit(
    () => apply(false),
    [tag],
    tag.trim() === '' ? t('tagItems.missingTag') : null,
    t('tagItems.adding', { tag: tag.trim(), count }),
  );
  const { busy, missing } = submission;
  const title = t('tagItems.title', { count });
  // While the tags are written, Close, the dialog's × and Escape leave it open and say to wait
  // (once the save has run long, they close it, the save going on).
  const closing = closeUnlessSaving(submission, onClose, title);

  return (
    <Dialog
      title={title}
      {...closing}
      footer={
        <>
          <button
            type="button"
            className="btn"
            aria-disabled={closing.closeWaits || undefined}
            onClick={closing.onClose}
          >
            {t('common.close')}
          </button>
          <button
            type="button"
            className="btn"
            aria-disabled={busy || missing !== null || undefined}
            onClick={() =>
              submission.run(() => apply(true), t('tagItems.removing', { tag: tag.trim(), count }))
            }
          >
            {t('tagItems.remove', { count })}
          </button>
          <SubmitButton submission={submission} form="tag-items-form">
            {t('tagItems.add', { count })}
          </SubmitButton>
        </>
      }
    >
      <form id="tag-items-form" onSubmit={submission.onSubmit}>
        <div className="field">
          <label htmlFor="tag-items-tag">{t('tagItems.tag')}</label>
          <input
            id="tag-items-tag"
            className="input"
            dir="auto"
            list="tag-items-known"
            value={tag}
            onChange={(e) => setTag(e.target.value)}
          />
          <datalist id="tag-items-known">
            {knownTags.map((known) => (
              <option key={known} value={known} />
            ))}
          </datalist>
          <span className="hint">{t('tagItems.hint')}</span>
        </div>
        <FormError message={submission.error} />
      </form>
    </Dialog>
  );
}
