/**
 * Running one contract call from a button: its state (running, done, failed) for the
 * component that shows it. Errors stay typed: a ContractCallError keeps the core's
 * `name` (NoSuchAgent, AgentNotRunning, ValidationError…) for the user to see.
 */
import { useCallback, useRef, useState } from 'react';
import { ContractCallError } from '../../../shared/contract-client.js';

export type CallState<T> =
  | { phase: 'idle' }
  | { phase: 'running' }
  | { phase: 'done'; value: T }
  | { phase: 'failed'; error: CallErrorView };

/** What the UI shows of a failed call. */
export interface CallErrorView {
  name: string;
  message: string;
  issues: { path: string; message: string }[];
}

export function describeCallError(error: unknown): CallErrorView {
  if (error instanceof ContractCallError) return { name: error.name, message: error.message, issues: error.issues };
  if (error instanceof Error) return { name: error.name === 'Error' ? 'Error' : error.name, message: error.message, issues: [] };
  return { name: 'Error', message: String(error), issues: [] };
}

/** `[state, run, reset]`: run(...) starts the call; a newer run wins over an older one. */
export function useCall<A extends unknown[], T>(
  call: (...args: A) => Promise<T>,
): [CallState<T>, (...args: A) => Promise<T | undefined>, () => void] {
  const [state, setState] = useState<CallState<T>>({ phase: 'idle' });
  const latest = useRef(0);
  const run = useCallback(
    async (...args: A): Promise<T | undefined> => {
      const id = ++latest.current;
      setState({ phase: 'running' });
      try {
        const value = await call(...args);
        if (id === latest.current) setState({ phase: 'done', value });
        return value;
      } catch (error) {
        if (id === latest.current) setState({ phase: 'failed', error: describeCallError(error) });
        return undefined;
      }
    },
    [call],
  );
  const reset = useCallback(() => {
    latest.current++;
    setState({ phase: 'idle' });
  }, []);
  return [state, run, reset];
}
