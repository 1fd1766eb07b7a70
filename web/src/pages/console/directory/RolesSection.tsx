import { useEffect, useMemo, useState } from 'react';
import { App, Button, Drawer, Form, Input, Popconfirm, Space, Table } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ColumnsType } from 'antd/es/table';
import type { ConsoleRole, PersonRef } from '@contract';
import { PersonPicker } from '../../../components/form/PersonPicker';
import { localized } from '../../../lib/language';
import { tableLoading } from '../../../lib/tableLoading';
import { showViolations } from './formErrors';
import { useConsoleDepartments, useConsoleRoles, useDeleteRole, useSaveRole } from './queries';
import { DepartmentSelect, ErrorAlert } from './shared';

interface RoleForm {
  role_key?: string;
  name: { zh_cn: string; en_us: string };
  members: { user_id?: string; department_ids?: string[] }[];
}

const FIELDS = ['role_key', 'name.zh_cn', 'name.en_us', 'members'];

/** Roles (used by flows' approver rules) and who serves which departments. */
export function RolesSection() {
  const { t, i18n } = useTranslation('consoleDirectory');
  const { message } = App.useApp();
  const roles = useConsoleRoles();
  const remove = useDeleteRole();
  const [editing, setEditing] = useState<ConsoleRole | 'new' | null>(null);

  const columns: ColumnsType<ConsoleRole> = [
    {
      title: t('roles.name'),
      key: 'name',
      render: (_, r) => (
        <span>
          {localized(r.name, i18n.language)}
          <br />
          <code className="pf-directory-muted">{r.role_key}</code>
        </span>
      ),
    },
    {
      title: t('roles.members'),
      key: 'members',
      render: (_, r) =>
        r.members.length === 0 ? (
          <span className="pf-directory-muted">{t('roles.noMembers')}</span>
        ) : (
          <ul className="pf-directory-members">
            {r.members.map((m) => (
              <li key={m.person.user_id}>
                {localized(m.person.name, i18n.language)}
                <span className="pf-directory-muted">
                  {' · '}
                  {m.departments.length === 0
                    ? t('roles.wholeTenant')
                    : m.departments.map((d) => localized(d.name, i18n.language)).join(', ')}
                </span>
              </li>
            ))}
          </ul>
        ),
    },
    {
      title: t('actions'),
      key: 'actions',
      render: (_, r) => {
        const name = localized(r.name, i18n.language);
        return (
          <Space wrap size="small">
            <Button
              size="small"
              onClick={() => {
                setEditing(r);
              }}
              aria-label={t('roles.editNamed', { name })}
            >
              {t('edit')}
            </Button>
            <Popconfirm
              title={t('roles.deleteConfirm', { name })}
              okText={t('delete')}
              cancelText={t('cancel')}
              onConfirm={() => {
                remove.mutate(r.role_key, { onSuccess: () => void message.success(t('deleted')) });
              }}
            >
              <Button size="small" danger aria-label={t('roles.deleteNamed', { name })}>
                {t('delete')}
              </Button>
            </Popconfirm>
          </Space>
        );
      },
    },
  ];

  return (
    <div>
      <div className="pf-directory-toolbar">
        <p className="pf-directory-hint">{t('roles.hint')}</p>
        <Button
          type="primary"
          icon={<PlusOutlined aria-hidden />}
          onClick={() => {
            setEditing('new');
          }}
        >
          {t('roles.new')}
        </Button>
      </div>
      {roles.error && <ErrorAlert error={roles.error} />}
      {remove.error && <ErrorAlert error={remove.error} />}
      <Table<ConsoleRole>
        rowKey="role_key"
        columns={columns}
        dataSource={roles.data ?? []}
        loading={tableLoading(roles).loading}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 700 }}
        aria-label={t('roles.tableLabel')}
      />
      <RoleDrawer
        role={editing}
        onClose={() => {
          setEditing(null);
        }}
      />
    </div>
  );
}

function RoleDrawer({ role, onClose }: { role: ConsoleRole | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation('consoleDirectory');
  const { message } = App.useApp();
  const [form] = Form.useForm<RoleForm>();
  const save = useSaveRole();
  const departments = useConsoleDepartments();
  const [needsAlert, setNeedsAlert] = useState(false);
  const isNew = role === 'new';
  const known = useMemo(() => {
    const out: Record<string, PersonRef> = {};
    if (role && role !== 'new') for (const m of role.members) out[m.person.user_id] = m.person;
    return out;
  }, [role]);
  useEffect(() => {
    if (role === null) return;
    save.reset();
    setNeedsAlert(false);
    form.resetFields();
    if (role === 'new') form.setFieldsValue({ members: [] });
    else
      form.setFieldsValue({
        name: role.name,
        members: role.members.map((m) => ({
          user_id: m.person.user_id,
          department_ids: m.departments.map((d) => d.department_id),
        })),
      });
    // Only when another role opens.
  }, [role]);

  return (
    <Drawer
      open={role !== null}
      onClose={onClose}
      title={isNew ? t('roles.new') : t('roles.edit')}
      size="large"
      destroyOnHidden
      extra={
        <Button
          type="primary"
          loading={save.isPending}
          onClick={() => {
            form.submit();
          }}
        >
          {isNew ? t('create') : t('save')}
        </Button>
      }
    >
      <Form<RoleForm>
        form={form}
        layout="vertical"
        aria-label={isNew ? t('roles.new') : t('roles.edit')}
        onFinish={(values) => {
          if (role === null) return;
          setNeedsAlert(false);
          const members = values.members
            .filter((m): m is { user_id: string; department_ids?: string[] } => Boolean(m.user_id))
            .map((m) => ({ user_id: m.user_id, department_ids: m.department_ids ?? [] }));
          save.mutate(
            role === 'new'
              ? { create: { role_key: (values.role_key ?? '').trim(), name: values.name, members } }
              : { roleKey: role.role_key, patch: { name: values.name, members } },
            {
              onSuccess: () => {
                void message.success(isNew ? t('created') : t('saved'));
                onClose();
              },
              onError: (error) => {
                setNeedsAlert(showViolations(form, error, FIELDS));
              },
            },
          );
        }}
      >
        {isNew ? (
          <Form.Item
            name="role_key"
            label={t('roles.key')}
            extra={t('roles.keyHint')}
            rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{0,63}$/, message: t('roles.keyPattern') }]}
          >
            <Input maxLength={64} />
          </Form.Item>
        ) : (
          role && (
            <Form.Item label={t('roles.key')}>
              <code>{role.role_key}</code>
            </Form.Item>
          )
        )}
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
        <fieldset className="pf-directory-fieldset">
          <legend>{t('roles.members')}</legend>
          <p className="pf-directory-hint">{t('roles.scopeHint')}</p>
          <Form.List name="members">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, index) => (
                  <div key={field.key} className="pf-directory-member-row">
                    <Form.Item
                      name={[field.name, 'user_id']}
                      label={t('roles.member', { n: index + 1 })}
                      rules={[{ required: true, message: t('roles.memberRequired') }]}
                    >
                      <PersonPicker aria-label={t('roles.member', { n: index + 1 })} known={known} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'department_ids']} label={t('roles.scope')}>
                      <DepartmentSelect
                        departments={departments.data ?? []}
                        multiple
                        placeholder={t('roles.wholeTenant')}
                        aria-label={t('roles.scopeOf', { n: index + 1 })}
                      />
                    </Form.Item>
                    <Button
                      icon={<DeleteOutlined aria-hidden />}
                      aria-label={t('roles.removeMember', { n: index + 1 })}
                      onClick={() => {
                        remove(field.name);
                      }}
                    />
                  </div>
                ))}
                <Button
                  icon={<PlusOutlined aria-hidden />}
                  onClick={() => {
                    add({ department_ids: [] });
                  }}
                >
                  {t('roles.addMember')}
                </Button>
              </>
            )}
          </Form.List>
        </fieldset>
        {save.error && needsAlert && <ErrorAlert error={save.error} />}
      </Form>
    </Drawer>
  );
}
