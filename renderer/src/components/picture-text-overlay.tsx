import type { PictureBox, PictureReading } from '../../../shared/ocr.js';
import type { ItemSelectorMarks } from '../../../shared/selectors.js';
import { t } from '../i18n/i18n.js';
import { withInvisiblesShown } from './text.js';

/** A box as a share of the picture, so the overlay follows the picture at any zoom. */
function placed(box: PictureBox, reading: PictureReading): React.CSSProperties {
  return {
    left: `${(box.x0 / reading.width) * 100}%`,
    top: `${(box.y0 / reading.height) * 100}%`,
    width: `${((box.x1 - box.x0) / reading.width) * 100}%`,
    height: `${((box.y1 - box.y0) / reading.height) * 100}%`,
  };
}

function sameBox(a: PictureBox, b: PictureBox): boolean {
  return a.x0 === b.x0 && a.y0 === b.y0 && a.x1 === b.x1 && a.y1 === b.y1;
}

/** Whether a selector mark falls on a line: its box is the line's, or the row it was read in covers it. */
function covers(mark: PictureBox, line: PictureBox): boolean {
  return mark.x0 <= line.x0 && mark.y0 <= line.y0 && mark.x1 >= line.x1 && mark.y1 >= line.y1;
}

/**
 * The lines text recognition read on a picture, drawn as boxes over it (boxes are in the
 * picture's own upright pixels, as the browser shows it). A line that holds a selector is
 * highlighted (a possible match, read in Eastern digits, in the warning colour); its text is its
 * tooltip and its accessible name.
 */
export function PictureTextOverlay({
  reading,
  marks,
}: Readonly<{ reading: PictureReading; marks: ItemSelectorMarks['pictures'] }>) {
  return (
    <ul className="ocr-overlay" aria-label={t('viewer.recognisedLines')}>
      {reading.lines.map((line, index) => {
        const mark = marks.find((m) => sameBox(m.box, line.box) || covers(m.box, line.box));
        const className = ['ocr-box', mark && 'hit', mark?.match === 'possible' && 'possible']
          .filter(Boolean)
          .join(' ');
        // Read from a picture: its invisible characters written, as everywhere else the window shows it.
        const text = withInvisiblesShown(line.text);
        const label = mark ? t('viewer.lineWithHit', { text }) : text;
        return (
          <li
            // biome-ignore lint/suspicious/noArrayIndexKey: a reading's lines are fixed, in reading order
            key={index}
            className={className}
            style={placed(line.box, reading)}
            title={`${text} (${Math.round(line.confidence)}%)`}
            aria-label={label}
            data-confidence={Math.round(line.confidence)}
          />
        );
      })}
    </ul>
  );
}
