import { useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Empty, Form, Input, Modal, Popconfirm, Space, Spin, Tree } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ConsoleDepartment } from '@contract';
import { PersonPicker } from '../../../components/form/PersonPicker';
import { localized } from '../../../lib/language';
import { showViolations } from './formErrors';
import {
  useConsoleDepartments,
  useCreateDepartment,
  useDeleteDepartment,
  useUpdateDepartment,
} from './queries';
import { DepartmentSelect, departmentTree, ErrorAlert, subtreeIds } from './shared';

interface DepartmentForm {
  department_id?: string;
  name: { zh_cn: string; en_us: string };
  parent_department_id: string | null;
  leader_user_id: string | null;
}

const FIELDS = ['department_id', 'name.zh_cn', 'name.en_us', 'parent_department_id', 'leader_user_id'];

/** The department tree: pick one to rename, move, set its leader or delete it; or add one. */
export function DepartmentsSection() {
  const { t, i18n } = useTranslation('consoleDirectory');
  const departments = useConsoleDepartments();
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const all = useMemo(() => departments.data ?? [], [departments.data]);
  const tree = useMemo(() => departmentTree(all, i18n.language), [all, i18n.language]);
  const current = all.find((d) => d.department_id === selected) ?? null;

  if (departments.isLoading) return <Spin />;
  if (departments.error) return <ErrorAlert error={departments.error} />;
  return (
    <div className="pf-directory-split">
      <Card
        title={t('departments.treeTitle')}
        className="pf-directory-tree-card"
        extra={
          <Button
            icon={<PlusOutlined aria-hidden />}
            onClick={() => {
              setCreating(true);
            }}
          >
            {t('departments.new')}
          </Button>
        }
      >
        {tree.length === 0 ? (
          <Empty description={t('departments.none')} />
        ) : (
          <Tree
            aria-label={t('departments.treeTitle')}
            treeData={tree}
            showLine
            defaultExpandAll
            blockNode
            selectedKeys={selected ? [selected] : []}
            onSelect={(keys) => {
              setSelected(keys.length > 0 ? String(keys[0]) : null);
            }}
            titleRender={(node) => (
              <span>
                <span>{node.title}</span>
                {node.department.leader && (
                  <span className="pf-directory-muted">
                    {' · '}
                    {localized(node.department.leader.name, i18n.language)}
                  </span>
                )}
              </span>
            )}
          />
        )}
      </Card>
      {current ? (
        <DepartmentEditor
          key={current.department_id}
          department={current}
          departments={all}
          onDeleted={() => {
            setSelected(null);
          }}
        />
      ) : (
        <Card className="pf-directory-detail">
          <Empty description={t('departments.pick')} />
        </Card>
      )}
      <CreateDepartment
        open={creating}
        parentId={selected}
        departments={all}
        onClose={(created) => {
          setCreating(false);
          if (created) setSelected(created);
        }}
      />
    </div>
  );
}

function DepartmentEditor({
  department,
  departments,
  onDeleted,
}: {
  department: ConsoleDepartment;
  departments: readonly ConsoleDepartment[];
  onDeleted: () => void;
}) {
  const { t, i18n } = useTranslation('consoleDirectory');
  const { message } = App.useApp();
  const [form] = Form.useForm<DepartmentForm>();
  const update = useUpdateDepartment();
  const remove = useDeleteDepartment();
  const [needsAlert, setNeedsAlert] = useState(false);
  const blocked = useMemo(
    () => subtreeIds(departments, department.department_id),
    [departments, department.department_id],
  );
  useEffect(() => {
    form.setFieldsValue({
      name: department.name,
      parent_department_id: department.parent_department_id,
      leader_user_id: department.leader?.user_id ?? null,
    });
  }, [department, form]);

  return (
    <Card
      className="pf-directory-detail"
      title={localized(department.name, i18n.language)}
      extra={<code>{department.department_id}</code>}
    >
      <Form<DepartmentForm>
        form={form}
        layout="vertical"
        aria-label={t('departments.editLabel')}
        onFinish={(values) => {
          setNeedsAlert(false);
          update.mutate(
            {
              id: department.department_id,
              patch: {
                name: values.name,
                parent_department_id: values.parent_department_id ?? null,
                leader_user_id: values.leader_user_id ?? null,
              },
            },
            {
              onSuccess: () => void message.success(t('saved')),
              onError: (error) => {
                setNeedsAlert(showViolations(form, error, FIELDS));
              },
            },
          );
        }}
      >
        <NameFields />
        <Form.Item
          name="parent_department_id"
          label={t('departments.parent')}
          extra={t('departments.parentHint')}
        >
          <DepartmentSelect
            departments={departments}
            disabledIds={blocked}
            placeholder={t('departments.topLevel')}
            aria-label={t('departments.parent')}
          />
        </Form.Item>
        <Form.Item name="leader_user_id" label={t('departments.leader')}>
          <PersonPicker
            aria-label={t('departments.leader')}
            placeholder={t('departments.noLeader')}
            known={department.leader ? { [department.leader.user_id]: department.leader } : undefined}
          />
        </Form.Item>
        {update.error && needsAlert && <ErrorAlert error={update.error} />}
        {remove.error && <ErrorAlert error={remove.error} />}
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={update.isPending}>
            {t('save')}
          </Button>
          <Popconfirm
            title={t('departments.deleteConfirm')}
            okText={t('delete')}
            cancelText={t('cancel')}
            onConfirm={() => {
              remove.mutate(department.department_id, {
                onSuccess: () => {
                  void message.success(t('deleted'));
                  onDeleted();
                },
              });
            }}
          >
            <Button danger loading={remove.isPending}>
              {t('delete')}
            </Button>
          </Popconfirm>
        </Space>
      </Form>
    </Card>
  );
}

function NameFields() {
  const { t } = useTranslation('consoleDirectory');
  return (
    <>
      <Form.Item
        name={['name', 'zh_cn']}
        label={t('nameZh')}
        rules={[{ required: true, whitespace: true, max: 100, message: t('nameRequired') }]}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item
        name={['name', 'en_us']}
        label={t('nameEn')}
        rules={[{ required: true, whitespace: true, max: 100, message: t('nameRequired') }]}
      >
        <Input maxLength={100} />
      </Form.Item>
    </>
  );
}

function CreateDepartment({
  open,
  parentId,
  departments,
  onClose,
}: {
  open: boolean;
  parentId: string | null;
  departments: readonly ConsoleDepartment[];
  onClose: (createdId?: string) => void;
}) {
  const { t } = useTranslation('consoleDirectory');
  const { message } = App.useApp();
  const [form] = Form.useForm<DepartmentForm>();
  const create = useCreateDepartment();
  const [needsAlert, setNeedsAlert] = useState(false);
  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue({ parent_department_id: parentId });
      create.reset();
      setNeedsAlert(false);
    }
    // Only when the dialog opens.
  }, [open]);
  return (
    <Modal
      open={open}
      title={t('departments.new')}
      okText={t('create')}
      cancelText={t('cancel')}
      confirmLoading={create.isPending}
      onOk={() => {
        form.submit();
      }}
      onCancel={() => {
        onClose();
      }}
      destroyOnHidden
    >
      <Form<DepartmentForm>
        form={form}
        layout="vertical"
        aria-label={t('departments.new')}
        onFinish={(values) => {
          setNeedsAlert(false);
          create.mutate(
            {
              ...(values.department_id ? { department_id: values.department_id.trim() } : {}),
              name: values.name,
              parent_department_id: values.parent_department_id ?? null,
              leader_user_id: values.leader_user_id ?? null,
            },
            {
              onSuccess: (created) => {
                void message.success(t('created'));
                onClose(created.department_id);
              },
              onError: (error) => {
                setNeedsAlert(showViolations(form, error, FIELDS));
              },
            },
          );
        }}
      >
        <Form.Item
          name="department_id"
          label={t('departments.id')}
          extra={t('departments.idHint')}
          rules={[{ pattern: /^[A-Za-z0-9_.@-]{1,64}$/, message: t('idPattern') }]}
        >
          <Input maxLength={64} />
        </Form.Item>
        <NameFields />
        <Form.Item name="parent_department_id" label={t('departments.parent')}>
          <DepartmentSelect
            departments={departments}
            placeholder={t('departments.topLevel')}
            aria-label={t('departments.parent')}
          />
        </Form.Item>
        <Form.Item name="leader_user_id" label={t('departments.leader')}>
          <PersonPicker aria-label={t('departments.leader')} placeholder={t('departments.noLeader')} />
        </Form.Item>
        {create.error && needsAlert && <ErrorAlert error={create.error} />}
      </Form>
    </Modal>
  );
}
