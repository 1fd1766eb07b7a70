import { useEffect, useMemo, useState } from 'react';
import {
  App,
  Badge,
  Button,
  Drawer,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ColumnsType } from 'antd/es/table';
import type { ConsoleEmployee, ConsoleInvite, EmploymentStatus } from '@contract';
import { PersonPicker } from '../../../components/form/PersonPicker';
import { NativeSelect } from '../../../components/NativeSelect';
import { formatDateTime } from '../../../lib/format';
import { localized } from '../../../lib/language';
import { tableLoading } from '../../../lib/tableLoading';
import { Pager } from '../../inbox/Pager';
import { showViolations } from './formErrors';
import {
  useConsoleDepartments,
  useConsoleEmployees,
  useSaveEmployee,
  useSignInLink,
  type EmployeeFilter,
} from './queries';
import { DepartmentSelect, EMPLOYMENT_STATUSES, ErrorAlert } from './shared';
import {
  EmployeeProfileFields,
  PROFILE_FIELD_NAMES,
  profileFormValues,
  profilePatch,
  type ProfileFormValues,
} from './EmployeeProfileFields';
import { useClearButton } from '../../../components/clearButton';

interface EmployeeForm extends ProfileFormValues {
  user_id?: string;
  name: { zh_cn: string; en_us?: string };
  email: string;
  department_id: string | null;
  manager_user_id: string | null;
  employment_status: EmploymentStatus;
}

const FIELDS = [
  'user_id',
  'name.zh_cn',
  'name.en_us',
  'email',
  'department_id',
  'manager_user_id',
  'employment_status',
  ...PROFILE_FIELD_NAMES,
];

/** Search, filter and page through employees; create or edit one; hand out sign-in links. */
export function EmployeesSection() {
  const { t, i18n } = useTranslation('consoleDirectory');
  const clear = useClearButton();
  const [text, setText] = useState('');
  const [filter, setFilter] = useState<EmployeeFilter>({
    query: '',
    department_id: undefined,
    employment_status: undefined,
  });
  // Tokens of the pages seen so far: tokens[i] opens page i + 1.
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const page = tokens.length;
  const employees = useConsoleEmployees(filter, tokens[tokens.length - 1]);
  const departments = useConsoleDepartments();
  const [editing, setEditing] = useState<ConsoleEmployee | 'new' | null>(null);
  const [link, setLink] = useState<{ invite: ConsoleInvite; reset: boolean } | null>(null);
  const signInLink = useSignInLink();

  const applyFilter = (next: Partial<EmployeeFilter>) => {
    setFilter((current) => ({ ...current, ...next }));
    setTokens([undefined]);
  };

  const columns: ColumnsType<ConsoleEmployee> = [
    {
      title: t('employees.name'),
      key: 'name',
      render: (_, e) => (
        <span>
          {localized(e.name, i18n.language)}
          <br />
          <code className="pf-directory-muted">{e.user_id}</code>
        </span>
      ),
    },
    { title: t('employees.email'), dataIndex: 'email', key: 'email' },
    {
      title: t('employees.department'),
      key: 'department',
      render: (_, e) => (e.department ? localized(e.department.name, i18n.language) : '—'),
    },
    {
      title: t('employees.manager'),
      key: 'manager',
      render: (_, e) => (e.manager ? localized(e.manager.name, i18n.language) : '—'),
    },
    {
      title: t('employees.status'),
      key: 'status',
      render: (_, e) => (
        <Badge
          status={
            e.employment_status === 'active'
              ? 'success'
              : e.employment_status === 'pre_hire'
                ? 'processing'
                : 'default'
          }
          text={t(`status.${e.employment_status}`)}
        />
      ),
    },
    {
      title: t('employees.signIn'),
      key: 'sign_in',
      render: (_, e) => <SignInState employee={e} />,
    },
    {
      title: t('actions'),
      key: 'actions',
      render: (_, e) => {
        const name = localized(e.name, i18n.language);
        const getLink = (reset: boolean) => {
          signInLink.mutate(
            { userId: e.user_id, reset },
            {
              onSuccess: (invite) => {
                setLink({ invite, reset });
              },
            },
          );
        };
        return (
          <Space wrap size="small">
            <Button
              size="small"
              onClick={() => {
                setEditing(e);
              }}
              aria-label={t('employees.editNamed', { name })}
            >
              {t('edit')}
            </Button>
            <Button
              size="small"
              disabled={e.employment_status === 'terminated'}
              onClick={() => {
                getLink(false);
              }}
              aria-label={t('employees.inviteNamed', { name })}
            >
              {t('employees.invite')}
            </Button>
            <Popconfirm
              title={t('employees.resetConfirm', { name })}
              okText={t('employees.reset')}
              cancelText={t('cancel')}
              onConfirm={() => {
                getLink(true);
              }}
            >
              <Button
                size="small"
                danger
                disabled={e.employment_status === 'terminated'}
                aria-label={t('employees.resetNamed', { name })}
              >
                {t('employees.reset')}
              </Button>
            </Popconfirm>
          </Space>
        );
      },
    },
  ];

  return (
    <div>
      <div className="pf-directory-toolbar" role="search" aria-label={t('employees.searchLabel')}>
        <Input.Search
          aria-label={t('employees.search')}
          placeholder={t('employees.search')}
          value={text}
          allowClear={clear}
          onChange={(event) => {
            setText(event.target.value);
          }}
          onSearch={(value) => {
            applyFilter({ query: value.trim() });
          }}
          className="pf-directory-search"
        />
        <div className="pf-directory-filter">
          <DepartmentSelect
            departments={departments.data ?? []}
            value={filter.department_id ?? null}
            onChange={(value) => {
              applyFilter({ department_id: typeof value === 'string' ? value : undefined });
            }}
            placeholder={t('employees.anyDepartment')}
            aria-label={t('employees.department')}
          />
        </div>
        <NativeSelect<EmploymentStatus | ''>
          aria-label={t('employees.status')}
          value={filter.employment_status ?? ''}
          onValueChange={(value) => {
            applyFilter({ employment_status: value === '' ? undefined : value });
          }}
          options={[
            { value: '', label: t('employees.anyStatus') },
            ...EMPLOYMENT_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
          ]}
        />
        <Button
          type="primary"
          icon={<PlusOutlined aria-hidden />}
          onClick={() => {
            setEditing('new');
          }}
        >
          {t('employees.new')}
        </Button>
      </div>
      {employees.error && <ErrorAlert error={employees.error} />}
      {signInLink.error && <ErrorAlert error={signInLink.error} />}
      <Table<ConsoleEmployee>
        rowKey="user_id"
        columns={columns}
        dataSource={employees.data?.items ?? []}
        loading={tableLoading(employees).loading}
        pagination={false}
        scroll={{ x: 900 }}
        size="middle"
        aria-label={t('employees.tableLabel')}
      />
      <Pager
        page={page}
        lastPage={undefined}
        hasNext={Boolean(employees.data?.page_token)}
        onPage={(next) => {
          if (next < page) setTokens((current) => current.slice(0, next));
          else {
            const nextToken = employees.data?.page_token;
            if (nextToken) setTokens((current) => [...current, nextToken]);
          }
        }}
      />
      <EmployeeDrawer
        employee={editing}
        onClose={() => {
          setEditing(null);
        }}
      />
      <InviteLinkDialog
        link={link}
        onClose={() => {
          setLink(null);
        }}
      />
    </div>
  );
}

function SignInState({ employee }: { employee: ConsoleEmployee }) {
  const { t, i18n } = useTranslation('consoleDirectory');
  const { has_password: hasPassword, invite } = employee.sign_in;
  return (
    <span>
      {hasPassword ? t('employees.hasPassword') : t('employees.noPassword')}
      {invite && (
        <>
          <br />
          <span className="pf-directory-muted">
            {t(`employees.invite_${invite.status}`, {
              date: formatDateTime(invite.expires_at, i18n.language),
            })}
          </span>
        </>
      )}
    </span>
  );
}

function EmployeeDrawer({
  employee,
  onClose,
}: {
  employee: ConsoleEmployee | 'new' | null;
  onClose: () => void;
}) {
  const { t } = useTranslation('consoleDirectory');
  const { message } = App.useApp();
  const [form] = Form.useForm<EmployeeForm>();
  const save = useSaveEmployee();
  const departments = useConsoleDepartments();
  const [needsAlert, setNeedsAlert] = useState(false);
  const isNew = employee === 'new';
  const known = useMemo(
    () =>
      employee && employee !== 'new' && employee.manager
        ? { [employee.manager.user_id]: employee.manager }
        : undefined,
    [employee],
  );
  useEffect(() => {
    if (employee === null) return;
    save.reset();
    setNeedsAlert(false);
    form.resetFields();
    if (employee === 'new') form.setFieldsValue({ employment_status: 'active' });
    else
      form.setFieldsValue({
        name: employee.name,
        email: employee.email,
        department_id: employee.department?.department_id ?? null,
        manager_user_id: employee.manager?.user_id ?? null,
        employment_status: employee.employment_status,
        ...profileFormValues(employee),
      });
    // Only when another employee opens.
  }, [employee]);

  return (
    <Drawer
      open={employee !== null}
      onClose={onClose}
      title={isNew ? t('employees.new') : t('employees.edit')}
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
      <Form<EmployeeForm>
        form={form}
        layout="vertical"
        aria-label={isNew ? t('employees.new') : t('employees.edit')}
        onFinish={(values) => {
          if (employee === null) return;
          setNeedsAlert(false);
          const fields = {
            name: {
              zh_cn: values.name.zh_cn.trim(),
              ...(values.name.en_us?.trim() ? { en_us: values.name.en_us.trim() } : {}),
            },
            email: values.email.trim(),
            department_id: values.department_id ?? null,
            manager_user_id: values.manager_user_id ?? null,
            employment_status: values.employment_status,
            ...profilePatch(values),
          };
          save.mutate(
            employee === 'new'
              ? {
                  create: {
                    ...fields,
                    ...(values.user_id?.trim() ? { user_id: values.user_id.trim() } : {}),
                  },
                }
              : { userId: employee.user_id, patch: fields },
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
            name="user_id"
            label={t('employees.userId')}
            extra={t('employees.userIdHint')}
            rules={[{ pattern: /^[A-Za-z0-9_.@-]{1,64}$/, message: t('idPattern') }]}
          >
            <Input maxLength={64} />
          </Form.Item>
        ) : (
          employee && (
            <Form.Item label={t('employees.userId')}>
              <code>{employee.user_id}</code>
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
        <Form.Item name={['name', 'en_us']} label={t('nameEn')} extra={t('employees.nameEnHint')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('employees.email')}
          rules={[{ required: true, type: 'email', message: t('employees.emailInvalid') }]}
        >
          <Input type="email" maxLength={254} autoComplete="off" />
        </Form.Item>
        <Form.Item name="department_id" label={t('employees.department')}>
          <DepartmentSelect
            departments={departments.data ?? []}
            placeholder={t('employees.noDepartment')}
            aria-label={t('employees.department')}
          />
        </Form.Item>
        <Form.Item name="manager_user_id" label={t('employees.manager')}>
          <PersonPicker
            aria-label={t('employees.manager')}
            placeholder={t('employees.noManager')}
            known={known}
            exclude={employee && employee !== 'new' ? [employee.user_id] : []}
          />
        </Form.Item>
        <Form.Item name="employment_status" label={t('employees.status')}>
          <Select
            aria-label={t('employees.status')}
            options={EMPLOYMENT_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          />
        </Form.Item>
        <EmployeeProfileFields employee={employee === 'new' ? null : employee} />
        {save.error && needsAlert && <ErrorAlert error={save.error} />}
      </Form>
    </Drawer>
  );
}

/** There is no mail server: the link is shown for the admin to copy and hand over. */
function InviteLinkDialog({
  link,
  onClose,
}: {
  link: { invite: ConsoleInvite; reset: boolean } | null;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('consoleDirectory');
  return (
    <Modal
      open={link !== null}
      title={link?.reset ? t('employees.resetDone') : t('employees.inviteDone')}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('close')}
        </Button>
      }
    >
      {link && (
        <>
          <p>{t('employees.linkHint', { date: formatDateTime(link.invite.expires_at, i18n.language) })}</p>
          <Typography.Paragraph
            copyable={{ text: link.invite.url, tooltips: [t('copy'), t('copied')] }}
            className="pf-directory-link"
            aria-label={t('employees.link')}
          >
            <code>{link.invite.url}</code>
          </Typography.Paragraph>
        </>
      )}
    </Modal>
  );
}
