import { useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { TabLinks } from '../../../components/TabLinks';
import { useAppPath } from '../../../app/paths';
import { NotFoundSection } from './shared';
import { DepartmentsSection } from './DepartmentsSection';
import { EmployeesSection } from './EmployeesSection';
import { RolesSection } from './RolesSection';
import { AdminsSection } from './AdminsSection';
import { ImportSection } from './ImportSection';
import './directory.css';

const SECTIONS = ['departments', 'employees', 'roles', 'admins', 'import'] as const;
type Section = (typeof SECTIONS)[number];
const isSection = (value: string): value is Section => (SECTIONS as readonly string[]).includes(value);

/** `/console/directory/:section?`: departments, employees, roles, tenant admins, CSV import. */
export default function DirectoryPage() {
  const { t } = useTranslation('consoleDirectory');
  const appPath = useAppPath();
  const requested = useParams().section ?? 'departments';
  const section = isSection(requested) ? requested : null;

  return (
    <div className="pf-directory">
      <h1 className="pf-page-title">{t('title')}</h1>
      <TabLinks
        idPrefix="pf-directory-tab"
        label={t('sectionsLabel')}
        active={section ?? ''}
        tabs={SECTIONS.map((key) => ({
          key,
          label: t(`section.${key}`),
          to: appPath(`/console/directory/${key}`),
        }))}
      />
      <div
        role="tabpanel"
        id="pf-directory-tab-panel"
        aria-labelledby={section ? `pf-directory-tab-${section}` : undefined}
        className="pf-directory-panel"
      >
        {section === 'departments' && <DepartmentsSection />}
        {section === 'employees' && <EmployeesSection />}
        {section === 'roles' && <RolesSection />}
        {section === 'admins' && <AdminsSection />}
        {section === 'import' && <ImportSection />}
        {section === null && <NotFoundSection />}
      </div>
    </div>
  );
}
