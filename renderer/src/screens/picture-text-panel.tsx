import type { ItemPictureText } from '../../../shared/ocr.js';
import { pictureName } from '../components/entity-text.js';
import { CopyButton, UntrustedText, withInvisiblesShown } from '../components/text.js';
import { t } from '../i18n/i18n.js';

/**
 * The text recognised in an item's pictures, line by line as read (selectable, and copied whole by
 * its button), each picture named, with what was left unread. Nothing when no picture was read.
 */
export function PictureTextPanel({ text }: Readonly<{ text: ItemPictureText | null | undefined }>) {
  const pictures = (text?.pictures ?? []).filter((p) => p.lines.length > 0);
  if (pictures.length === 0 && !text?.scan?.note) return null;
  const all = pictures.map((p) => p.lines.map((l) => l.text).join('\n')).join('\n\n');
  return (
    <section className="panel" aria-labelledby="picture-text-head">
      <div className="panel-head">
        <h3 id="picture-text-head">{t('picturetext.title', { count: pictures.length })}</h3>
        <span className="spacer" />
        {all && <CopyButton value={all} label={t('picturetext.copy')} />}
      </div>
      <div className="panel-body picture-text">
        {pictures.map((p) => {
          const name = pictureName(p);
          return (
            <div key={p.sha256} className="picture-text-block">
              <div className="faint mono" dir="ltr" title={withInvisiblesShown(p.uri ?? p.sha256)}>
                <UntrustedText text={name} />
              </div>
              <ol
                className="picture-lines"
                aria-label={t('picturetext.lines', { name: withInvisiblesShown(name) })}
              >
                {p.lines.map((line, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a reading's lines are fixed, in reading order
                  <li key={index} dir="auto" title={`${Math.round(line.confidence)}%`}>
                    <UntrustedText text={line.text} />
                  </li>
                ))}
              </ol>
            </div>
          );
        })}
        {text?.scan?.note && <p className="faint">{t('picturetext.skipped', { note: text.scan.note })}</p>}
      </div>
    </section>
  );
}
