import { useEffect, useState } from 'react';
import { SyncOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import './filters/filters.css';

/** How long a background refetch runs before it is mentioned: most answer sooner, and a flash every poll is noise. */
const QUIET_MS = 400;

/**
 * "Updating…" beside a table's title while the rows shown are being refreshed in the background (see
 * `tableLoading`): polite to screen readers, and nothing that covers or disables the rows.
 */
export function RefreshingHint({ active }: { active: boolean }) {
  const { t } = useTranslation('common');
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!active) {
      setShown(false);
      return;
    }
    const timer = setTimeout(() => {
      setShown(true);
    }, QUIET_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [active]);
  // The live region is always there (empty when quiet): a region that appears with its text is not read out.
  return (
    <span className="pf-refreshing" role="status" aria-live="polite">
      {shown && (
        <>
          <SyncOutlined spin aria-hidden /> {t('updating')}
        </>
      )}
    </span>
  );
}
