import { useMemo } from 'react';
import { TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DepartmentRef } from '@contract';
import { localized } from '../../lib/language';
import { useDepartments } from './queries';
import { useClearButton } from '../clearButton';

interface TreeNode {
  value: string;
  title: string;
  children: TreeNode[];
}

function buildTree(departments: readonly DepartmentRef[], language: string): TreeNode[] {
  const nodes = new Map<string, TreeNode>();
  for (const d of departments)
    nodes.set(d.department_id, { value: d.department_id, title: localized(d.name, language), children: [] });
  const roots: TreeNode[] = [];
  for (const d of departments) {
    const node = nodes.get(d.department_id);
    if (!node) continue;
    const parent = d.parent_department_id ? nodes.get(d.parent_department_id) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

interface Props {
  id?: string;
  value?: string;
  onChange?: (value: string | undefined) => void;
  'aria-label'?: string;
  'aria-invalid'?: boolean | 'true' | 'false';
  'aria-describedby'?: string;
  disabled?: boolean;
}

/** Picks a department from the tree (GET /api/v1/departments), searchable by name. */
export function DepartmentPicker({ id, value, onChange, disabled, ...rest }: Props) {
  const { t, i18n } = useTranslation('request');
  const clear = useClearButton();
  const departments = useDepartments();
  const tree = useMemo(
    () => buildTree(departments.data ?? [], i18n.language),
    [departments.data, i18n.language],
  );
  return (
    <TreeSelect
      id={id}
      aria-label={rest['aria-label']}
      aria-invalid={rest['aria-invalid']}
      aria-describedby={rest['aria-describedby']}
      value={value}
      onChange={(v: string | undefined) => onChange?.(v ?? undefined)}
      treeData={tree}
      showSearch={{ treeNodeFilterProp: 'title' }}
      allowClear={clear}
      treeDefaultExpandAll
      loading={departments.isLoading}
      disabled={disabled}
      placeholder={t('picker.department_placeholder')}
      style={{ width: '100%' }}
    />
  );
}
