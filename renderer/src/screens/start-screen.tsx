import { useState } from 'react';
import type { Case } from '../../../shared/domain.js';
import { FormError, TextField } from '../components/field.js';
import { Icon } from '../components/icons.js';
import { SubmitButton } from '../components/submit-button.js';
import { BidiText, MonoText } from '../components/text.js';
import { useLoad } from '../hooks/use-load.js';
import { useSubmit } from '../hooks/use-submit.js';
import { formatDate, t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';
import { useAppState } from '../state/app-state.js';

/** Start: open a recent case or create one. */
export function StartScreen() {
  const { setOpenCase, navigate } = useAppState();
  const cases = useLoad(() => call('listCases', {}), []);
  const [filter, setFilter] = useState('');
  const [search, setSearch] = useState('');
  const open = (c: Case) => {
    setOpenCase(c);
    navigate({ screen: 'evidence' });
  };
  const shown = (cases.value ?? []).filter((c) =>
    `${c.number} ${c.title}`.toLowerCase().includes(filter.trim().toLowerCase()),
  );

  return (
    <>
      <div className="screen-head">
        <h1>{t('start.title')}</h1>
        <span className="spacer" />
        <form
          className="search"
          onSubmit={(event) => {
            event.preventDefault();
            if (search.trim() !== '') navigate({ screen: 'search', query: search });
          }}
        >
          <Icon name="search" size={14} />
          <input
            className="input"
            type="search"
            dir="auto"
            style={{ width: 280 }}
            placeholder={t('start.search')}
            aria-label={t('start.search')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </form>
      </div>
      <div className="screen-body">
        <div className="start-grid">
          <NewCaseForm onCreated={open} first={cases.value?.length === 0} />
          <section className="panel" aria-labelledby="recent-cases">
            <div className="panel-head">
              <h2 id="recent-cases">{t('start.recent')}</h2>
              <span className="spacer" />
              <input
                className="input"
                style={{ width: 220 }}
                placeholder={t('start.filter')}
                aria-label={t('start.filter')}
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
              />
            </div>
            <div className="case-list">
              {cases.error && <div className="error-box">{cases.error.message}</div>}
              {cases.value && cases.value.length === 0 && (
                <div className="empty-state">
                  <Icon name="folder" size={28} />
                  {t('start.noCases')}
                </div>
              )}
              {shown.map((c) => (
                <button key={c.id} type="button" className="case-row" onClick={() => open(c)}>
                  <span className="case-name">
                    <MonoText text={c.number} />
                    <span className="case-title ellipsis">
                      <BidiText text={c.title} title={c.title} />
                    </span>
                  </span>
                  <span className="case-meta muted">
                    <span>{t('start.items', { count: c.itemCount })}</span>
                    <span>{formatDate(c.createdAt)}</span>
                  </span>
                </button>
              ))}
            </div>
          </section>
        </div>
      </div>
    </>
  );
}

/** The form of a new case; `first` when the store has none yet, so that its number field takes the focus. */
function NewCaseForm({ onCreated, first }: Readonly<{ onCreated: (c: Case) => void; first: boolean }>) {
  const [number, setNumber] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const submission = useSubmit(
    async () =>
      onCreated(await call('createCase', { number, title, description: description.trim() || null })),
    [number, title, description],
    number.trim() === '' ? t('start.missingNumber') : title.trim() === '' ? t('start.missingTitle') : null,
  );
  return (
    <form className="panel" onSubmit={submission.onSubmit} aria-labelledby="new-case">
      <div className="panel-head">
        <h2 id="new-case">{t('start.newCase')}</h2>
      </div>
      <div className="panel-body">
        <TextField
          label={t('start.number')}
          value={number}
          onChange={setNumber}
          mono
          placeholder={t('start.numberExample')}
          autoFocusTarget={first}
        />
        <TextField label={t('start.caseTitle')} value={title} onChange={setTitle} />
        <div className="field">
          <label htmlFor="case-description">{t('start.description')}</label>
          <textarea
            id="case-description"
            className="textarea"
            dir="auto"
            rows={4}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <FormError message={submission.error} />
        <SubmitButton submission={submission}>
          <Icon name="plus" size={14} />
          {t('start.create')}
        </SubmitButton>
      </div>
    </form>
  );
}
