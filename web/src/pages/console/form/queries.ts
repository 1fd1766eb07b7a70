import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ExpressionCheckRequest, ExpressionCheckResult, FlowFormField } from '@contract';
import { api } from '../../../api/client';

/** The value, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms = 400): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => {
      setSettled(value);
    }, ms);
    return () => {
      window.clearTimeout(timer);
    };
  }, [value, ms]);
  return settled;
}

/** Checks a rule expression against the form as it is now (debounced; nothing is saved). */
export function useExpressionCheck(
  form: FlowFormField[],
  expression: string,
  kind: ExpressionCheckRequest['kind'],
  field?: string,
) {
  const request: ExpressionCheckRequest = {
    form,
    expression: expression.trim(),
    kind,
    ...(field ? { field } : {}),
  };
  const settled = useDebounced(JSON.stringify(request));
  // Whether to check is decided on what is sent — the settled request, not the one being typed: the
  // first keystroke into an empty box must not send the empty expression it settled on (a 400).
  const sent = JSON.parse(settled) as ExpressionCheckRequest;
  return useQuery({
    queryKey: ['console', 'expression-check', settled],
    queryFn: () => api.post<ExpressionCheckResult>('/admin/expressions/check', sent),
    enabled: sent.expression !== '' && (sent.kind !== 'calculation' || sent.field !== undefined),
    staleTime: 60_000,
  });
}
