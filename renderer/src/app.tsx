import { useEffect, useMemo, useState } from 'react';
import type { StoreUpgrade } from '../../shared/api.js';
import type { Case, Investigator } from '../../shared/domain.js';
import { Icon, type IconName } from './components/icons.js';
import { NoticeArea, NoticeProvider, useClearNotices } from './components/notices.js';
import { BidiText, MonoText, withInvisiblesShown } from './components/text.js';
import { useArrivalFocus } from './hooks/use-arrival-focus.js';
import { useLoad } from './hooks/use-load.js';
import { useRemovedWatches } from './hooks/use-removed-watches.js';
import { useNewSelectorHits } from './hooks/use-selector-hits.js';
import { useStoreNotices } from './hooks/use-store-notices.js';
import { UPGRADE_WAIT_POLL_MS } from './hooks/use-store-retry.js';
import { type MessageKey, t } from './i18n/i18n.js';
import { ApiError, call } from './platform/custos.js';
import { AuditScreen } from './screens/audit-screen.js';
import { CustodyScreen } from './screens/custody-screen.js';
import { DuplicatesScreen } from './screens/duplicates-screen.js';
import { EntitiesScreen } from './screens/entities-screen.js';
import { EvidenceScreen } from './screens/evidence-screen.js';
import { ExportScreen } from './screens/export-screen.js';
import { FirstRun } from './screens/first-run.js';
import { ItemScreen } from './screens/item-screen.js';
import { MentionsScreen } from './screens/mentions-screen.js';
import { SearchScreen } from './screens/search-screen.js';
import { SelectorsScreen } from './screens/selectors-screen.js';
import { SettingsScreen } from './screens/settings-screen.js';
import { StartScreen } from './screens/start-screen.js';
import { StoreIntegrityFailed } from './screens/store-integrity-failed.js';
import { StoreOpenFailed } from './screens/store-open-failed.js';
import { StoreUpgradeFailed, StoreUpgradeNotice } from './screens/store-upgrade-notice.js';
import { VerifyScreen } from './screens/verify-screen.js';
import { WatchesScreen } from './screens/watches-screen.js';
import { type AppState, AppStateContext, CASE_SCREENS, type Route } from './state/app-state.js';
import { applyTheme, initialTheme, type Theme } from './state/theme.js';

/** The application: first run until a profile exists, then the frame with its screens. */
export function App() {
  const [theme, setTheme] = useState<Theme>(initialTheme);
  useEffect(() => applyTheme(theme), [theme]);
  // Asked first, so that the window can say why the profile's read waits when the store an older
  // Custos wrote is being upgraded.
  const upgrade = useLoad(() => call('startStoreUpgrade', {}), []);
  // The profile, or the failure of its read with the upgrade's state as asked again then (the
  // service remembers an upgrade's failure, so it says whether the read failed because of it). It
  // is asked inside the read, before its failure is shown: asked after, the card a failure shows
  // went blank while it was asked and came back as a new card (a button the investigator had
  // focused was gone). It is part of the read's answer, so that a read a newer one replaced (a
  // second Try again) is dropped whole, its late upgrade state with it.
  const profile = useLoad(async (): Promise<ProfileRead> => {
    try {
      return { investigator: await call('getProfile', {}) };
    } catch (failure) {
      return {
        failure: failure instanceof Error ? failure : new Error(String(failure)),
        upgrade: await call('startStoreUpgrade', {}).catch(() => null),
      };
    }
  }, []);
  const read = profile.loading ? undefined : profile.value;
  const [created, setCreated] = useState<Investigator | null>(null);
  const investigator = created ?? (read && !read.failure ? read.investigator : undefined);
  const profileError = read?.failure;
  const upgradeAfterFailure = read?.failure ? read.upgrade : null;
  // Whether the failed upgrade's card was answered with Try again: shown again (that attempt
  // failed too), it gives Try again back the focus, which the notice shown meanwhile had taken.
  const [upgradeRetried, setUpgradeRetried] = useState(false);

  // While the upgrade waits for another Custos process, asked again after each answer, so that the
  // notice stops saying so once the upgrade has the store; also while a read after a failed one
  // (Try again) waits, the failure it replaces no longer shown.
  const askAgain =
    investigator === undefined && !profileError && !upgrade.loading && Boolean(upgrade.value?.waiting);
  useEffect(() => {
    if (!askAgain) return;
    const timer = setTimeout(upgrade.reload, UPGRADE_WAIT_POLL_MS);
    return () => clearTimeout(timer);
  }, [askAgain, upgrade.reload]);

  // The upgrade's state and the profile read again: after a card's Try again, once the store opens (or fails otherwise).
  const readAgain = () => {
    upgrade.reload();
    profile.reload();
  };

  const retryUpgrade = () => {
    setUpgradeRetried(true);
    // The new attempt is started (and the failure forgotten) before the profile's read asks again,
    // so that the read waits for it instead of meeting the old failure.
    void call('startStoreUpgrade', { again: true })
      .catch(() => undefined) // its failure is the answer of the reads that follow
      .then(readAgain);
  };

  let content: React.ReactNode;
  if (profileError && upgradeAfterFailure?.failed) {
    // The read failed because the upgrade of the store an older Custos wrote did.
    content = (
      <StoreUpgradeFailed
        upgrade={upgradeAfterFailure}
        failure={upgradeAfterFailure.failed}
        onRetry={retryUpgrade}
        focusRetry={upgradeRetried}
      />
    );
  } else if (profileError instanceof ApiError && profileError.kind === 'integrity') {
    // The store failed its checks on open (store.json, or a database that does not match it): the
    // card checks again on Try again (upgrading a store an older Custos wrote first), and once the
    // check passes, the upgrade's state and the profile are read again, so that the store opens.
    content = <StoreIntegrityFailed error={profileError} onRetry={readAgain} />;
  } else if (profileError) {
    // Any other failure to read the store (a lock another program holds, a permission, a disk):
    // once its cause is dealt with, Try again reads it again, as the cards do.
    content = <StoreOpenFailed error={profileError} onRetry={readAgain} />;
  } else if (investigator === undefined)
    content = upgrade.value ? <StoreUpgradeNotice upgrade={upgrade.value} /> : null;
  else if (investigator === null)
    content = (
      <>
        <FirstRun onDone={setCreated} />
        <NoticeArea />
      </>
    );
  else
    content = (
      <Frame
        profile={investigator}
        theme={theme}
        onToggleTheme={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
      />
    );
  return <NoticeProvider>{content}</NoticeProvider>;
}

/** The answer of the profile's read: the investigator (null before the first run), or the read's failure with the upgrade's state then. */
type ProfileRead =
  | { readonly investigator: Investigator | null; readonly failure?: undefined }
  | { readonly failure: Error; readonly upgrade: StoreUpgrade | null };

interface NavEntry {
  readonly screen: Route['screen'];
  readonly icon: IconName;
  readonly label: MessageKey;
}

const CASE_NAV: readonly NavEntry[] = [
  { screen: 'evidence', icon: 'list', label: 'nav.evidence' },
  { screen: 'custody', icon: 'ledger', label: 'nav.custody' },
  { screen: 'export', icon: 'export', label: 'nav.export' },
];
const TOOL_NAV: readonly NavEntry[] = [
  { screen: 'verify', icon: 'verify', label: 'nav.verify' },
  { screen: 'audit', icon: 'audit', label: 'nav.audit' },
  { screen: 'settings', icon: 'settings', label: 'nav.settings' },
];
const CASES_NAV: NavEntry = { screen: 'start', icon: 'folder', label: 'nav.cases' };
/** Shown below Cases; the Alt+number order puts the later screens last so earlier shortcuts keep theirs. */
const SEARCH_NAV: NavEntry = { screen: 'search', icon: 'search', label: 'nav.search' };
/** Listed with the case's sections, but late in the Alt+number order so earlier shortcuts keep their numbers. */
const ENTITIES_NAV: NavEntry = { screen: 'entities', icon: 'link', label: 'nav.entities' };
/** Listed with the tools, late in the Alt+number order (as entities) so earlier shortcuts keep theirs. */
const WATCHES_NAV: NavEntry = { screen: 'watches', icon: 'clock', label: 'nav.watches' };
/** Listed with the tools after Watches; Alt+1…0 are all taken, so it has no shortcut of its own. */
const SELECTORS_NAV: NavEntry = { screen: 'selectors', icon: 'target', label: 'nav.selectors' };
const ALL_NAV = [CASES_NAV, ...CASE_NAV, ...TOOL_NAV, ENTITIES_NAV, WATCHES_NAV, SEARCH_NAV, SELECTORS_NAV];
/** The digit keys of ALL_NAV's entries, in the order of the keyboard's top row. */
const SHORTCUT_KEYS = '1234567890';

function Frame({
  profile,
  theme,
  onToggleTheme,
}: Readonly<{ profile: Investigator; theme: Theme; onToggleTheme: () => void }>) {
  const [route, navigate] = useState<Route>({ screen: 'start' });
  const [openCase, setOpenCase] = useState<Case | null>(null);
  const state = useMemo<AppState>(
    () => ({ profile, openCase, route, navigate, setOpenCase }),
    [profile, openCase, route],
  );

  // Alt+1…9 and Alt+0 reach every section from anywhere, as in other desk tools.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey || !/^\d$/.test(event.key)) return;
      const entry = ALL_NAV[SHORTCUT_KEYS.indexOf(event.key)];
      if (!entry || (CASE_SCREENS.has(entry.screen) && !openCase)) return;
      event.preventDefault();
      navigate({ screen: entry.screen } as Route);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openCase]);

  const current =
    route.screen === 'item' || route.screen === 'duplicates'
      ? 'evidence'
      : route.screen === 'mentions'
        ? 'entities'
        : route.screen;
  const removedWatches = useRemovedWatches(route);
  const newHits = useNewSelectorHits(route);
  // A notice belongs to the screen it was shown on: another screen starts without them (but for
  // one kept until dismissed: a settled restore's, useStoreNotices).
  const clearNotices = useClearNotices();
  const screenKey = route.screen === 'item' ? `item ${route.itemId}` : route.screen;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the screen is what clears them
  useEffect(() => clearNotices(), [screenKey, clearNotices]);
  useStoreNotices(screenKey);
  // The focus never stays on the page's body after a screen change (a keyboard user would be lost).
  useArrivalFocus(screenKey);
  const navButton = (entry: NavEntry) => (
    <button
      key={entry.screen}
      type="button"
      aria-current={current === entry.screen ? 'page' : undefined}
      disabled={CASE_SCREENS.has(entry.screen) && !openCase}
      onClick={() => navigate({ screen: entry.screen } as Route)}
    >
      <Icon name={entry.icon} />
      {t(entry.label)}
      {entry.screen === 'watches' && removedWatches > 0 && (
        <span
          className="nav-count"
          role="status"
          aria-label={t('nav.removedBadge', { count: removedWatches })}
        >
          {removedWatches}
        </span>
      )}
      {entry.screen === 'selectors' && newHits > 0 && (
        <span className="nav-count" role="status" aria-label={t('nav.newHitsBadge', { count: newHits })}>
          {newHits}
        </span>
      )}
      {SHORTCUT_KEYS[ALL_NAV.indexOf(entry)] && (
        <span className="shortcut">Alt+{SHORTCUT_KEYS[ALL_NAV.indexOf(entry)]}</span>
      )}
    </button>
  );

  return (
    <AppStateContext.Provider value={state}>
      <div className="frame">
        <aside className="sidebar" aria-label={t('nav.label')}>
          <div className="brand">
            <Icon name="shield" size={20} />
            {t('app.name')}
          </div>
          {openCase && (
            <div className="sidebar-case">
              <div className="label">{t('nav.openCase')}</div>
              <div className="number">
                <MonoText text={openCase.number} />
              </div>
              <div className="title ellipsis" title={withInvisiblesShown(openCase.title)}>
                <BidiText text={openCase.title} />
              </div>
            </div>
          )}
          <nav className="nav">
            {navButton(CASES_NAV)}
            {navButton(SEARCH_NAV)}
            <div className="nav-heading">{t('nav.case')}</div>
            {CASE_NAV.map(navButton)}
            {navButton(ENTITIES_NAV)}
            <div className="nav-heading">{t('nav.tools')}</div>
            {TOOL_NAV.map(navButton)}
            {navButton(WATCHES_NAV)}
            {navButton(SELECTORS_NAV)}
          </nav>
          <div className="sidebar-foot">
            <div className="who">
              <BidiText text={profile.name} />
            </div>
            <div className="muted">
              <BidiText
                text={[profile.agency, profile.badge && t('nav.badge', { badge: profile.badge })]
                  .filter(Boolean)
                  .join(' · ')}
              />
            </div>
            <div className="fp" title={profile.keyFingerprint}>
              {t('nav.key', { key: `${profile.keyFingerprint.slice(0, 16)}…` })}
            </div>
            <button type="button" className="theme-toggle" onClick={onToggleTheme}>
              <Icon name={theme === 'dark' ? 'sun' : 'moon'} size={14} />
              {theme === 'dark' ? t('nav.lightTheme') : t('nav.darkTheme')}
            </button>
          </div>
        </aside>
        <main className="main">
          <Screen route={route} hasCase={openCase !== null} />
        </main>
        <NoticeArea />
        <footer className="statusbar">
          <span>
            <span className="dot" />
            {t('status.local')}
          </span>
          <span>{t('status.signing', { name: withInvisiblesShown(profile.name) })}</span>
          <span className="mono">{t('status.key', { key: profile.keyFingerprint.slice(0, 24) })}</span>
        </footer>
      </div>
    </AppStateContext.Provider>
  );
}

function Screen({ route, hasCase }: Readonly<{ route: Route; hasCase: boolean }>) {
  if (CASE_SCREENS.has(route.screen) && !hasCase) return <StartScreen />;
  switch (route.screen) {
    case 'start':
      return <StartScreen />;
    case 'evidence':
      return <EvidenceScreen />;
    case 'item':
      return <ItemScreen key={route.itemId} itemId={route.itemId} />;
    case 'duplicates':
      return <DuplicatesScreen />;
    case 'custody':
      return <CustodyScreen />;
    case 'entities':
      return <EntitiesScreen />;
    case 'mentions':
      return <MentionsScreen key={`${route.type} ${route.value}`} value={route.value} type={route.type} />;
    case 'export':
      return <ExportScreen itemIds={route.itemIds} />;
    case 'verify':
      return <VerifyScreen />;
    case 'audit':
      return <AuditScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'watches':
      return <WatchesScreen />;
    case 'selectors':
      return <SelectorsScreen />;
    case 'search':
      return <SearchScreen key={route.query ?? ''} initialQuery={route.query} />;
  }
}
