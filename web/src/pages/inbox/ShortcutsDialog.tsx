import { Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { SHORTCUT_HELP } from '../../lib/shortcuts';

export default function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation(['inbox', 'common']);
  return (
    <Modal open={open} title={t('shortcutsTitle')} footer={null} onCancel={onClose} destroyOnHidden>
      <table className="pf-shortcuts">
        <tbody>
          {SHORTCUT_HELP.map((entry) => (
            <tr key={entry.label}>
              <th scope="row">
                {entry.keys.map((key) => (
                  <kbd key={key} className="pf-kbd">
                    {key}
                  </kbd>
                ))}
              </th>
              <td>{t(entry.label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
