import { createContext, useContext } from 'react';
import type { Case, Investigator } from '../../../shared/domain.js';
import type { EntityType } from '../../../shared/entities.js';

/** Where the investigator is in the app. */
export type Route =
  | { readonly screen: 'start' }
  | { readonly screen: 'evidence' }
  | { readonly screen: 'item'; readonly itemId: string }
  | { readonly screen: 'duplicates' }
  | { readonly screen: 'custody' }
  | { readonly screen: 'entities' }
  /** Every item, in any case, that mentions one entity. */
  | { readonly screen: 'mentions'; readonly value: string; readonly type?: EntityType }
  | { readonly screen: 'export'; readonly itemIds?: readonly string[] }
  | { readonly screen: 'verify' }
  | { readonly screen: 'audit' }
  | { readonly screen: 'settings' }
  | { readonly screen: 'watches' }
  | { readonly screen: 'selectors' }
  | { readonly screen: 'search'; readonly query?: string };

/** The screens that need an open case. */
export const CASE_SCREENS: ReadonlySet<Route['screen']> = new Set([
  'evidence',
  'item',
  'duplicates',
  'custody',
  'export',
  'entities',
]);

/** What every screen can reach: who is working, on which case, and how to move. */
export interface AppState {
  readonly profile: Investigator;
  readonly openCase: Case | null;
  readonly route: Route;
  navigate(route: Route): void;
  setOpenCase(value: Case | null): void;
}

/** The app state, provided by the frame. */
export const AppStateContext = createContext<AppState | null>(null);

/** The app state; only inside the frame. */
export function useAppState(): AppState {
  const state = useContext(AppStateContext);
  if (!state) throw new Error('useAppState outside the app frame');
  return state;
}

/** The open case; only on screens that need one. */
export function useOpenCase(): Case {
  const { openCase } = useAppState();
  if (!openCase) throw new Error('this screen needs an open case');
  return openCase;
}
