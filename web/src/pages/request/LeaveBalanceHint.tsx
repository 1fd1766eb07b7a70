import { Alert } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { FormValues, MyLeaveBalances } from '@contract';
import { api } from '../../api/client';
import { localized } from '../../lib/language';
import { requestedLeaveDays } from '../../lib/leaveDays';

/** The person's own leave balances (docs/leave.md "People API"). */
export function useMyLeaveBalances(enabled: boolean) {
  return useQuery({
    queryKey: ['leave-balances'],
    queryFn: ({ signal }) => api.get<MyLeaveBalances>('/leave/balances', { signal }),
    enabled,
    staleTime: 30_000,
  });
}

/**
 * Under a leave request's leave type: the days available of the chosen type, and — when the days asked
 * are more — whether the request would be refused or only warned. The server decides on start.
 */
export function LeaveBalanceHint({ values }: { values: FormValues }) {
  const { t, i18n } = useTranslation('request');
  const balances = useMyLeaveBalances(true);
  const typeKey = typeof values.leave_type === 'string' ? values.leave_type : '';
  const balance = balances.data?.items.find((b) => b.leave_type.key === typeKey);
  if (!balance) return null;
  const asked = requestedLeaveDays(values);
  const name = localized(balance.leave_type.name, i18n.language);
  const text = t('leave.available', {
    name,
    count: balance.available,
    balance: balance.balance,
    pending: balance.pending,
  });
  const over = asked !== undefined && asked > balance.available;
  return (
    <Alert
      className="pf-leave-balance"
      style={{ marginBottom: 16 }}
      type={over ? (balance.leave_type.over_balance === 'refuse' ? 'error' : 'warning') : 'info'}
      showIcon
      role="status"
      title={text}
      description={
        over
          ? t(balance.leave_type.over_balance === 'refuse' ? 'leave.overRefused' : 'leave.overWarned', {
              count: asked,
            })
          : undefined
      }
    />
  );
}
