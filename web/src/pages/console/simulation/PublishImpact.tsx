import { useTranslation } from 'react-i18next';
import type { DraftEditor } from '../flows/draftEditor';

/**
 * Shown in the publish dialog (h-flows' FlowEditorPage): the last processes that would take another
 * path under the draft (owner: h-sim).
 */
export default function PublishImpact({ editor }: { editor: DraftEditor }) {
  const { t } = useTranslation('consoleSim');
  if (editor.readOnly) return null;
  return <p>{t('title')}</p>;
}
