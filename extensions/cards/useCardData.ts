import { useCallback, useEffect, useRef, useState } from 'react';
import type { AddAlertAction } from '@hubspot/ui-extensions';
import type { CardData } from '../../src/app/view-models';
import { callFunction } from '../shared/call-function';
import type { Busy, RunAction } from './components/types';

export type CardState =
  | { status: 'loading' }
  | { status: 'error'; code: string; message: string }
  | { status: 'ready'; card: CardData; refreshing: boolean };

export interface CardActions {
  addAlert: AddAlertAction;
  refreshObjectProperties: () => void;
}

/**
 * Loads `card-data` for a company and runs the card's actions. After an action: an alert with the
 * outcome, HubSpot's properties refreshed, and the card data refetched, so both agree.
 */
export function useCardData(companyId: string, actions: CardActions) {
  const [state, setState] = useState<CardState>({ status: 'loading' });
  const [busy, setBusy] = useState<Busy>(null);
  const latest = useRef(0);

  const load = useCallback(
    async (mode: 'initial' | 'refresh') => {
      const call = ++latest.current;
      setState((prev) =>
        mode === 'refresh' && prev.status === 'ready' ? { ...prev, refreshing: true } : { status: 'loading' },
      );
      const result = await callFunction<CardData>('card-data', { companyId });
      if (call !== latest.current) return; // a newer load superseded this one
      setState(result.ok ? { status: 'ready', card: result.data, refreshing: false } : { status: 'error', ...result.error });
    },
    [companyId],
  );

  useEffect(() => {
    void load('initial');
  }, [load]);

  const runAction: RunAction = async (uid, params, successMessage) => {
    setBusy(uid);
    const result = await callFunction<unknown>(uid, params);
    setBusy(null);
    if (!result.ok) {
      actions.addAlert({ type: 'danger', title: 'Action failed', message: result.error.message });
      return false;
    }
    actions.addAlert({ type: 'success', message: successMessage });
    actions.refreshObjectProperties();
    await load('refresh');
    return true;
  };

  return { state, busy, runAction, retry: () => void load('initial') };
}
