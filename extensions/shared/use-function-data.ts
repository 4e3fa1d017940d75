import { useCallback, useEffect, useState } from 'react';
import type { FunctionParamsInput, FunctionUid } from '../../src/app/view-models';
import { callFunction } from './call-function';

export type LoadState<T> = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; data: T };

/**
 * Calls function `uid` once on mount and on `reload()`: loading → ready with its data, or error
 * with the message people see. Shared by the app page and the settings component.
 *
 * @example
 * const { state, reload } = useFunctionData<PortfolioReport>('portfolio-report', {});
 */
export function useFunctionData<T, U extends FunctionUid = FunctionUid>(uid: U, params: FunctionParamsInput<U>): { state: LoadState<T>; reload: () => void } {
  const [state, setState] = useState<LoadState<T>>({ status: 'loading' });
  const key = JSON.stringify(params);
  const load = useCallback(async () => {
    setState({ status: 'loading' });
    const result = await callFunction<T>(uid, JSON.parse(key) as FunctionParamsInput<U>);
    setState(result.ok ? { status: 'ready', data: result.data } : { status: 'error', message: result.error.message });
  }, [uid, key]);
  useEffect(() => {
    void load();
  }, [load]);
  return { state, reload: () => void load() };
}
