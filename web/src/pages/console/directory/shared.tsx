import { useMemo } from 'react';
import { Alert, TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConsoleDepartment, EmploymentStatus } from '@contract';
import { Problem } from '../../../components/Problem';
import { describeError } from '../../../lib/errors';
import { localized } from '../../../lib/language';
import { useClearButton } from '../../../components/clearButton';

export const EMPLOYMENT_STATUSES: EmploymentStatus[] = ['pre_hire', 'active', 'terminated'];

export interface DepartmentNode {
  key: string;
  value: string;
  title: string;
  department: ConsoleDepartment;
  children: DepartmentNode[];
}

/** The flat list as a tree (orphans, whose parent is not loaded, show at the top). */
export function departmentTree(
  departments: readonly ConsoleDepartment[],
  language: string,
): DepartmentNode[] {
  const nodes = new Map<string, DepartmentNode>();
  for (const d of departments)
    nodes.set(d.department_id, {
      key: d.department_id,
      value: d.department_id,
      title: localized(d.name, language),
      department: d,
      children: [],
    });
  const roots: DepartmentNode[] = [];
  for (const d of departments) {
    const node = nodes.get(d.department_id);
    if (!node) continue;
    const parent = d.parent_department_id ? nodes.get(d.parent_department_id) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** A department and everything under it: where it cannot move to. */
export function subtreeIds(departments: readonly ConsoleDepartment[], rootId: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const d of departments) {
    if (!d.parent_department_id) continue;
    children.set(d.parent_department_id, [...(children.get(d.parent_department_id) ?? []), d.department_id]);
  }
  const out = new Set<string>();
  const stack = [rootId];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

interface DepartmentSelectProps {
  id?: string;
  departments: readonly ConsoleDepartment[];
  value?: string | string[] | null;
  onChange?: (value: string | string[] | null) => void;
  multiple?: boolean;
  /** Departments not to offer (a department's own subtree, when moving it). */
  disabledIds?: ReadonlySet<string>;
  placeholder?: string;
  'aria-label'?: string;
}

/** Picks one or several departments from the console's tree (all of them, not only active people's). */
export function DepartmentSelect({
  id,
  departments,
  value,
  onChange,
  multiple,
  disabledIds,
  placeholder,
  ...rest
}: DepartmentSelectProps) {
  const { i18n } = useTranslation();
  const clear = useClearButton();
  const treeData = useMemo(() => {
    const mark = (nodes: DepartmentNode[]): (DepartmentNode & { disabled: boolean })[] =>
      nodes.map((n) => ({ ...n, disabled: disabledIds?.has(n.value) ?? false, children: mark(n.children) }));
    return mark(departmentTree(departments, i18n.language));
  }, [departments, disabledIds, i18n.language]);
  return (
    <TreeSelect
      id={id}
      aria-label={rest['aria-label']}
      value={value ?? undefined}
      onChange={(v: string | string[] | undefined) => onChange?.(v ?? null)}
      treeData={treeData}
      multiple={multiple}
      showSearch={{ treeNodeFilterProp: 'title' }}
      allowClear={clear}
      treeDefaultExpandAll
      placeholder={placeholder}
      style={{ width: '100%' }}
    />
  );
}

/** An API failure: the translated sentence, and the server's own words (which name what is in use, …). */
export function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation(['consoleDirectory', 'errors']);
  if (!error) return null;
  const code = (error as { code?: string }).code;
  const message = (error as { message?: string }).message;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      className="pf-directory-alert"
      title={describeError(t, error)}
      description={message && code !== 'network' ? message : undefined}
    />
  );
}

export function NotFoundSection() {
  const { t } = useTranslation('consoleDirectory');
  return <Problem title={t('unknownSection')} text={t('unknownSectionText')} />;
}
