import { useTranslation } from 'react-i18next';
import type { DraftEditor } from '../flows/draftEditor';

/** Organisation simulation and publish impact of the draft (owner: h-sim). */
export default function SimulationPanel({ editor }: { editor: DraftEditor }) {
  const { t } = useTranslation('consoleSim');
  if (editor.readOnly) return <h1>{t('title')}</h1>;
  return <h1>{t('title')}</h1>;
}
