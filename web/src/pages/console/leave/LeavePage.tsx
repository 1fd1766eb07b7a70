import { useEffect, useState } from 'react';
import {
  App,
  Button,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ColumnsType } from 'antd/es/table';
import type { ConsoleLeaveBalances, LeaveEntryRequest, LeaveEntryView, LeaveTypeView } from '@contract';
import { PersonPicker } from '../../../components/form/PersonPicker';
import { formatDateTime } from '../../../lib/format';
import { localized } from '../../../lib/language';
import { tableLoading } from '../../../lib/tableLoading';
import { Pager } from '../../inbox/Pager';
import { showViolations } from '../directory/formErrors';
import { ErrorAlert } from '../directory/shared';
import '../directory/directory.css';
import {
  useDeleteLeaveType,
  useLeaveBalances,
  useLeaveLedger,
  useLeaveTypes,
  useRecordLeave,
  useSaveLeaveType,
  type LeaveTypeForm,
} from './queries';
import { useClearButton } from '../../../components/clearButton';

const TYPE_FIELDS = ['key', 'name.zh_cn', 'name.en_us', 'over_balance', 'active'];
const ENTRY_FIELDS = ['user_ids', 'leave_type', 'kind', 'amount', 'reason'];

/** `/console/leave`: leave types, and everyone's balances with grants, accruals and adjustments. */
export default function LeavePage() {
  const { t } = useTranslation('consoleLeave');
  return (
    <div className="pf-directory">
      <h1 className="pf-page-title">{t('title')}</h1>
      <p className="pf-directory-hint">{t('hint')}</p>
      <TypesSection />
      <BalancesSection />
    </div>
  );
}

function TypesSection() {
  const { t, i18n } = useTranslation('consoleLeave');
  const types = useLeaveTypes();
  const remove = useDeleteLeaveType();
  const [editing, setEditing] = useState<LeaveTypeView | 'new' | null>(null);
  const columns: ColumnsType<LeaveTypeView> = [
    {
      title: t('types.name'),
      key: 'name',
      render: (_, type) => (
        <span>
          {localized(type.name, i18n.language)}
          <br />
          <code className="pf-directory-muted">{type.key}</code>
        </span>
      ),
    },
    {
      title: t('types.overBalance'),
      key: 'over',
      render: (_, type) => t(`overBalance.${type.over_balance}`),
    },
    {
      title: t('types.status'),
      key: 'active',
      render: (_, type) => (
        <Tag color={type.active ? 'green' : 'default'}>
          {type.active ? t('types.active') : t('types.inactive')}
        </Tag>
      ),
    },
    {
      title: t('actions'),
      key: 'actions',
      render: (_, type) => {
        const name = localized(type.name, i18n.language);
        return (
          <Space size="small">
            <Button
              size="small"
              onClick={() => {
                setEditing(type);
              }}
              aria-label={t('types.editNamed', { name })}
            >
              {t('edit')}
            </Button>
            <Popconfirm
              title={t('types.deleteConfirm', { name })}
              okText={t('delete')}
              cancelText={t('cancel')}
              onConfirm={() => {
                remove.mutate(type.key);
              }}
            >
              <Button size="small" danger aria-label={t('types.deleteNamed', { name })}>
                {t('delete')}
              </Button>
            </Popconfirm>
          </Space>
        );
      },
    },
  ];
  return (
    <section aria-labelledby="pf-leave-types">
      <div className="pf-directory-toolbar">
        <h2 id="pf-leave-types">{t('types.title')}</h2>
        <Button
          type="primary"
          icon={<PlusOutlined aria-hidden />}
          onClick={() => {
            setEditing('new');
          }}
        >
          {t('types.create')}
        </Button>
      </div>
      {types.error && <ErrorAlert error={types.error} />}
      {remove.error && <ErrorAlert error={remove.error} />}
      <Table<LeaveTypeView>
        rowKey="key"
        columns={columns}
        dataSource={types.data?.items ?? []}
        loading={tableLoading(types).loading}
        pagination={false}
        aria-label={t('types.title')}
      />
      {editing !== null && (
        <TypeModal
          type={editing === 'new' ? undefined : editing}
          onClose={() => {
            setEditing(null);
          }}
        />
      )}
    </section>
  );
}

function TypeModal({ type, onClose }: { type: LeaveTypeView | undefined; onClose: () => void }) {
  const { t } = useTranslation('consoleLeave');
  const [form] = Form.useForm<LeaveTypeForm>();
  const save = useSaveLeaveType();
  const [alert, setAlert] = useState<unknown>(null);
  const submit = (values: LeaveTypeForm) => {
    setAlert(null);
    save.mutate(
      { form: { ...values, key: type?.key ?? values.key }, existing: type !== undefined },
      {
        onSuccess: onClose,
        onError: (error) => {
          if (showViolations(form, error, TYPE_FIELDS)) setAlert(error);
        },
      },
    );
  };
  return (
    <Modal
      open
      title={type ? t('types.edit') : t('types.create')}
      okText={t('save')}
      cancelText={t('cancel')}
      confirmLoading={save.isPending}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
    >
      <Form<LeaveTypeForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          type ?? { key: '', name: { zh_cn: '', en_us: '' }, over_balance: 'refuse', active: true }
        }
      >
        <Form.Item
          name="key"
          label={t('types.key')}
          extra={t('types.keyHint')}
          rules={[{ required: true, message: t('required') }]}
        >
          <Input disabled={type !== undefined} maxLength={32} />
        </Form.Item>
        <Form.Item
          name={['name', 'zh_cn']}
          label={t('types.nameZh')}
          rules={[{ required: true, message: t('required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name={['name', 'en_us']}
          label={t('types.nameEn')}
          rules={[{ required: true, message: t('required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="over_balance" label={t('types.overBalance')} extra={t('types.overBalanceHint')}>
          <Select
            aria-label={t('types.overBalance')}
            options={[
              { value: 'refuse', label: t('overBalance.refuse') },
              { value: 'warn', label: t('overBalance.warn') },
            ]}
          />
        </Form.Item>
        <Form.Item name="active" label={t('types.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
      {alert !== null && <ErrorAlert error={alert} />}
    </Modal>
  );
}

function BalancesSection() {
  const { t, i18n } = useTranslation('consoleLeave');
  const clear = useClearButton();
  const types = useLeaveTypes();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const balances = useLeaveBalances(query, tokens[tokens.length - 1]);
  const [recording, setRecording] = useState<string[] | null>(null);
  const [ledgerOf, setLedgerOf] = useState<string | undefined>();
  const activeTypes = (types.data?.items ?? []).filter((type) => type.active);

  const columns: ColumnsType<ConsoleLeaveBalances> = [
    {
      title: t('balances.person'),
      key: 'person',
      render: (_, row) => (
        <span>
          {localized(row.person.name, i18n.language)}
          <br />
          <code className="pf-directory-muted">{row.person.user_id}</code>
        </span>
      ),
    },
    ...activeTypes.map((type) => ({
      title: localized(type.name, i18n.language),
      key: type.key,
      render: (_: unknown, row: ConsoleLeaveBalances) => {
        const b = row.balances.find((x) => x.leave_type.key === type.key);
        if (!b) return '—';
        return (
          <span title={t('balances.detail', { balance: b.balance, pending: b.pending })}>
            {t('balances.available', { count: b.available })}
            {b.pending !== 0 && (
              <>
                <br />
                <span className="pf-directory-muted">{t('balances.pending', { count: b.pending })}</span>
              </>
            )}
          </span>
        );
      },
    })),
    {
      title: t('actions'),
      key: 'actions',
      render: (_, row) => {
        const name = localized(row.person.name, i18n.language);
        return (
          <Space size="small" wrap>
            <Button
              size="small"
              disabled={activeTypes.length === 0}
              onClick={() => {
                setRecording([row.person.user_id]);
              }}
              aria-label={t('balances.recordNamed', { name })}
            >
              {t('balances.record')}
            </Button>
            <Button
              size="small"
              onClick={() => {
                setLedgerOf(row.person.user_id);
              }}
              aria-label={t('balances.ledgerNamed', { name })}
            >
              {t('balances.ledger')}
            </Button>
          </Space>
        );
      },
    },
  ];

  return (
    <section aria-labelledby="pf-leave-balances">
      <div className="pf-directory-toolbar">
        <h2 id="pf-leave-balances">{t('balances.title')}</h2>
        <Space wrap>
          <Input.Search
            aria-label={t('balances.search')}
            placeholder={t('balances.search')}
            value={text}
            allowClear={clear}
            onChange={(event) => {
              setText(event.target.value);
            }}
            onSearch={(value) => {
              setQuery(value.trim());
              setTokens([undefined]);
            }}
            className="pf-directory-search"
          />
          <Button
            type="primary"
            disabled={activeTypes.length === 0}
            onClick={() => {
              setRecording([]);
            }}
          >
            {t('balances.bulk')}
          </Button>
        </Space>
      </div>
      {balances.error && <ErrorAlert error={balances.error} />}
      <Table<ConsoleLeaveBalances>
        rowKey={(row) => row.person.user_id}
        columns={columns}
        dataSource={balances.data?.items ?? []}
        loading={tableLoading(balances).loading}
        pagination={false}
        aria-label={t('balances.title')}
        scroll={{ x: true }}
      />
      <Pager
        page={tokens.length}
        lastPage={undefined}
        hasNext={balances.data?.page_token !== undefined}
        onPage={(page) => {
          if (page < tokens.length) setTokens(tokens.slice(0, page));
          else if (balances.data?.page_token) setTokens([...tokens, balances.data.page_token]);
        }}
      />
      {recording !== null && (
        <EntryModal
          types={activeTypes}
          userIds={recording}
          onClose={() => {
            setRecording(null);
          }}
        />
      )}
      <LedgerDrawer
        userId={ledgerOf}
        onClose={() => {
          setLedgerOf(undefined);
        }}
      />
    </section>
  );
}

type EntryForm = Omit<LeaveEntryRequest, 'request_key'>;

/** A grant, accrual or adjustment for one person or many (the server takes up to 500 at once). */
function EntryModal({
  types,
  userIds,
  onClose,
}: {
  types: LeaveTypeView[];
  userIds: string[];
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('consoleLeave');
  const { message } = App.useApp();
  const [form] = Form.useForm<EntryForm>();
  const record = useRecordLeave();
  const [alert, setAlert] = useState<unknown>(null);
  // One key per opened dialog: pressing save twice (or a retried request) writes once.
  const [requestKey] = useState(
    () => `console-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
  );
  useEffect(() => {
    form.setFieldsValue({ user_ids: userIds });
  }, [form, userIds]);
  return (
    <Modal
      open
      title={t('entry.title')}
      okText={t('save')}
      cancelText={t('cancel')}
      confirmLoading={record.isPending}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
    >
      <Form<EntryForm>
        form={form}
        layout="vertical"
        initialValues={{ user_ids: userIds, leave_type: types[0]?.key, kind: 'grant', reason: '' }}
        onFinish={(values) => {
          setAlert(null);
          record.mutate(
            { ...values, request_key: requestKey },
            {
              onSuccess: (written) => {
                void message.success(t('entry.saved', { count: written.items.length }));
                onClose();
              },
              onError: (error) => {
                if (showViolations(form, error, ENTRY_FIELDS)) setAlert(error);
              },
            },
          );
        }}
      >
        <Form.Item
          name="user_ids"
          label={t('entry.people')}
          extra={t('entry.peopleHint')}
          rules={[{ required: true, message: t('required') }]}
        >
          <PersonPicker multiple aria-label={t('entry.people')} placeholder={t('entry.people')} />
        </Form.Item>
        <Form.Item
          name="leave_type"
          label={t('entry.type')}
          rules={[{ required: true, message: t('required') }]}
        >
          <Select
            aria-label={t('entry.type')}
            options={types.map((type) => ({ value: type.key, label: localized(type.name, i18n.language) }))}
          />
        </Form.Item>
        <Form.Item name="kind" label={t('entry.kind')}>
          <Select
            aria-label={t('entry.kind')}
            options={(['grant', 'accrual', 'adjustment'] as const).map((kind) => ({
              value: kind,
              label: t(`kind.${kind}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="amount"
          label={t('entry.amount')}
          extra={t('entry.amountHint')}
          rules={[{ required: true, message: t('required') }]}
        >
          <InputNumber step={0.5} precision={2} min={-10000} max={10000} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('entry.reason')}
          rules={[{ required: true, whitespace: true, message: t('required') }]}
        >
          <Input maxLength={500} />
        </Form.Item>
      </Form>
      {alert !== null && <ErrorAlert error={alert} />}
    </Modal>
  );
}

function LedgerDrawer({ userId, onClose }: { userId: string | undefined; onClose: () => void }) {
  const { t, i18n } = useTranslation('consoleLeave');
  const ledger = useLeaveLedger(userId);
  const columns: ColumnsType<LeaveEntryView> = [
    { title: t('ledger.at'), key: 'at', render: (_, e) => formatDateTime(e.created_at, i18n.language) },
    { title: t('ledger.type'), dataIndex: 'leave_type', key: 'type' },
    { title: t('ledger.kind'), key: 'kind', render: (_, e) => t(`kind.${e.kind}`) },
    {
      title: t('ledger.amount'),
      key: 'amount',
      render: (_, e) => (e.amount > 0 ? `+${e.amount}` : String(e.amount)),
    },
    { title: t('ledger.reason'), dataIndex: 'reason', key: 'reason' },
    {
      title: t('ledger.by'),
      key: 'by',
      render: (_, e) => (e.created_by ? localized(e.created_by.name, i18n.language) : t('ledger.system')),
    },
  ];
  const data = ledger.data?.person.user_id === userId ? ledger.data : undefined;
  return (
    <Drawer
      open={userId !== undefined}
      onClose={onClose}
      size="large"
      title={
        data
          ? t('ledger.titleNamed', { name: localized(data.person.name, i18n.language) })
          : t('ledger.title')
      }
    >
      {ledger.error && <ErrorAlert error={ledger.error} />}
      {data && (
        <p>
          {data.balances
            .map(
              (b) =>
                `${localized(b.leave_type.name, i18n.language)}: ${t('balances.detail', { balance: b.balance, pending: b.pending })}`,
            )
            .join(' · ')}
        </p>
      )}
      <Table<LeaveEntryView>
        rowKey="entry_id"
        columns={columns}
        dataSource={data?.entries.items ?? []}
        loading={tableLoading(ledger).loading}
        pagination={false}
        aria-label={t('ledger.title')}
        scroll={{ x: true }}
      />
    </Drawer>
  );
}
