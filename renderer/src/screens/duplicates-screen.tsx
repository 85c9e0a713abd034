import { PictureTile } from '../components/picture-tile.js';
import { withInvisiblesShown } from '../components/text.js';
import { useLoad } from '../hooks/use-load.js';
import { t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';
import { useOpenCase } from '../state/app-state.js';

/** The groups of near-duplicate pictures that hold an item of the open case, with their members from any case. */
export function DuplicatesScreen() {
  const openCase = useOpenCase();
  const groups = useLoad(() => call('getNearDuplicateGroups', { caseRef: openCase.id }), [openCase.id]);
  const value = groups.value;
  return (
    <>
      <div className="screen-head">
        <div style={{ minWidth: 0, flex: 1 }}>
          <h1>{t('duplicates.title')}</h1>
          <div className="sub">{t('duplicates.intro')}</div>
        </div>
      </div>
      <div className="screen-body">
        {groups.error && <div className="error-box">{groups.error.message}</div>}
        {!value && !groups.error && <span className="faint">{t('common.loading')}</span>}
        {value?.length === 0 && <div className="faint">{t('duplicates.none')}</div>}
        {value?.map((group, index) => {
          const crossCase = group.caseNumbers.length > 1;
          return (
            <section
              className="panel"
              key={group.members.map((m) => m.itemId).join(' ')}
              aria-labelledby={`group-${index}`}
            >
              <div className="panel-head">
                <h3 id={`group-${index}`}>
                  {t('duplicates.group', { number: index + 1, count: group.members.length })}
                </h3>
                {crossCase && (
                  <span className="badge warn">
                    {t('duplicates.crossCase', { cases: withInvisiblesShown(group.caseNumbers.join(', ')) })}
                  </span>
                )}
              </div>
              <div className="panel-body">
                <div className="picture-grid">
                  {group.members.map((m) => (
                    <PictureTile
                      key={m.itemId}
                      item={m}
                      thumbnail={m.thumbnail}
                      distance={m.distance}
                      pictureUrl={m.page?.uri}
                      current={m.caseId === openCase.id}
                    />
                  ))}
                </div>
              </div>
            </section>
          );
        })}
      </div>
    </>
  );
}
