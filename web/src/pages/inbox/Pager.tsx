import { Button } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/** Previous / next by page (the API pages by token, so "jump to page 40" is not offered). */
export function Pager({
  page,
  lastPage,
  hasNext,
  onPage,
}: {
  page: number;
  lastPage: number | undefined;
  hasNext: boolean;
  onPage: (page: number) => void;
}) {
  const { t } = useTranslation('inbox');
  if (page === 1 && !hasNext) return null;
  return (
    <nav className="pf-pager" aria-label={t('pages')}>
      <Button
        icon={<LeftOutlined aria-hidden />}
        disabled={page <= 1}
        onClick={() => {
          onPage(page - 1);
        }}
      >
        {t('previousPage')}
      </Button>
      <span aria-current="page">
        {lastPage ? t('pageOfTotal', { page, total: lastPage }) : t('pageOf', { page })}
      </span>
      <Button
        disabled={!hasNext}
        onClick={() => {
          onPage(page + 1);
        }}
      >
        {t('nextPage')} <RightOutlined aria-hidden />
      </Button>
    </nav>
  );
}
