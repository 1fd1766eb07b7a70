import { useEffect, useRef, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Popconfirm,
  Row,
  Space,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  HolderOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type DragEndEvent,
} from '@dnd-kit/core';
import {
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useTranslation } from 'react-i18next';
import type { FlowFieldType, FlowFormField } from '@contract';
import { localized } from '../../../lib/language';
import type { DraftEditor } from '../flows/draftEditor';
import { FieldProperties } from './FieldProperties';
import { FormPreview } from './FormPreview';
import { RulesEditor } from './RulesEditor';
import {
  FIELD_TYPES,
  NEW_LABELS,
  insertField,
  move,
  newField,
  removeField,
  renameField,
  updateField,
  usesOf,
} from './formModel';

const PALETTE = 'palette:';
const CANVAS = 'canvas';

function PaletteItem({
  type,
  onAdd,
  disabled,
}: {
  type: FlowFieldType;
  onAdd: () => void;
  disabled: boolean;
}) {
  const { t } = useTranslation('consoleForm');
  const { setNodeRef, listeners, attributes, transform, isDragging } = useDraggable({
    id: `${PALETTE}${type}`,
    disabled,
  });
  return (
    <li
      ref={setNodeRef}
      className="pf-form-palette-item"
      style={{
        listStyle: 'none',
        display: 'flex',
        alignItems: 'center',
        gap: 4,
        padding: '4px 8px',
        marginBottom: 4,
        border: '1px solid #d9d9d9',
        borderRadius: 6,
        background: '#fff',
        opacity: isDragging ? 0.6 : 1,
        transform: CSS.Translate.toString(transform),
      }}
    >
      <span
        {...listeners}
        {...attributes}
        aria-label={t('palette.drag', { type: t(`types.${type}`) })}
        style={{ cursor: disabled ? 'default' : 'grab', flex: 1 }}
      >
        <HolderOutlined aria-hidden /> {t(`types.${type}`)}
      </span>
      <Button
        size="small"
        type="text"
        icon={<PlusOutlined />}
        disabled={disabled}
        aria-label={t('palette.add', { type: t(`types.${type}`) })}
        onClick={onAdd}
      />
    </li>
  );
}

interface CardProps {
  field: FlowFormField;
  index: number;
  count: number;
  selected: boolean;
  readOnly: boolean;
  problem: boolean;
  tags: string[];
  uses: number;
  onSelect: () => void;
  onMove: (to: number) => void;
  onDelete: () => void;
}

function FieldCard({
  field,
  index,
  count,
  selected,
  readOnly,
  problem,
  tags,
  uses,
  onSelect,
  onMove,
  onDelete,
}: CardProps) {
  const { t, i18n } = useTranslation('consoleForm');
  const { setNodeRef, listeners, attributes, transform, transition, isDragging } = useSortable({
    id: field.api_name,
    disabled: readOnly,
  });
  const label = localized(field.label, i18n.language);
  return (
    <li
      ref={setNodeRef}
      id={`pf-form-field-${field.api_name}`}
      data-field={field.api_name}
      className="pf-form-field-card"
      aria-current={selected ? 'true' : undefined}
      style={{
        listStyle: 'none',
        display: 'flex',
        alignItems: 'center',
        gap: 8,
        padding: 8,
        marginBottom: 8,
        borderRadius: 8,
        border: `${selected ? 2 : 1}px solid ${problem ? '#ff4d4f' : selected ? '#1677ff' : '#d9d9d9'}`,
        background: '#fff',
        opacity: isDragging ? 0.6 : 1,
        transform: CSS.Transform.toString(transform),
        transition,
      }}
    >
      <span
        {...listeners}
        {...attributes}
        aria-label={t('canvas.drag', { label })}
        style={{ cursor: readOnly ? 'default' : 'grab', padding: 4 }}
      >
        <HolderOutlined aria-hidden />
      </span>
      <button
        type="button"
        className="pf-form-field-select"
        onClick={onSelect}
        aria-pressed={selected}
        style={{
          flex: 1,
          textAlign: 'start',
          background: 'none',
          border: 0,
          cursor: 'pointer',
          padding: 0,
          minWidth: 0,
        }}
      >
        <Typography.Text strong ellipsis>
          {label}
          {field.required && <span aria-hidden> *</span>}
        </Typography.Text>
        <br />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t(`types.${field.type}`)} · <code>{field.api_name}</code>
        </Typography.Text>{' '}
        {tags.map((tag) => (
          <Tag key={tag} style={{ fontSize: 11 }}>
            {tag}
          </Tag>
        ))}
      </button>
      <Space size={0}>
        <Tooltip title={t('canvas.moveUp')}>
          <Button
            size="small"
            type="text"
            icon={<ArrowUpOutlined />}
            aria-label={t('canvas.moveUpNamed', { label })}
            disabled={readOnly || index === 0}
            onClick={() => {
              onMove(index - 1);
            }}
          />
        </Tooltip>
        <Tooltip title={t('canvas.moveDown')}>
          <Button
            size="small"
            type="text"
            icon={<ArrowDownOutlined />}
            aria-label={t('canvas.moveDownNamed', { label })}
            disabled={readOnly || index === count - 1}
            onClick={() => {
              onMove(index + 1);
            }}
          />
        </Tooltip>
        <Popconfirm
          title={t('canvas.deleteTitle', { label })}
          description={uses > 0 ? t('canvas.deleteUsed', { count: uses }) : undefined}
          okText={t('canvas.delete')}
          cancelText={t('canvas.cancel')}
          okButtonProps={{ danger: true }}
          onConfirm={onDelete}
          disabled={readOnly}
        >
          <Button
            size="small"
            type="text"
            danger
            icon={<DeleteOutlined />}
            aria-label={t('canvas.deleteNamed', { label })}
            disabled={readOnly}
          />
        </Popconfirm>
      </Space>
    </li>
  );
}

/** The form designer: palette, canvas, properties, rules, preview. Every edit goes through `editor.change`. */
export default function FormDesigner({ editor }: { editor: DraftEditor }) {
  const { t, i18n } = useTranslation('consoleForm');
  const { document, readOnly } = editor;
  const form = document.form;
  const [selected, setSelected] = useState<string | undefined>(form[0]?.api_name);
  const [tab, setTab] = useState('properties');
  const canvasRef = useRef<HTMLUListElement>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const { setNodeRef: setCanvasRef, isOver } = useDroppable({ id: CANVAS });

  // A problem clicked elsewhere (or a field picked in another tab) selects and shows that field.
  const focused = editor.focus?.fieldApiName;
  useEffect(() => {
    if (focused === undefined || !form.some((f) => f.api_name === focused)) return;
    setSelected(focused);
    setTab('properties');
    window.document
      .getElementById(`pf-form-field-${focused}`)
      ?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [focused, form]);

  const label = (f: FlowFormField) => localized(f.label, i18n.language);
  const names = form.map((f) => f.api_name);
  const calculated = new Set((document.rules?.calculations ?? []).map((c) => c.field));
  const conditional = new Set((document.rules?.visibility ?? []).map((v) => v.field));
  const withProblems = new Set(editor.problems.map((p) => p.field_api_name).filter((x) => x !== undefined));

  const add = (type: FlowFieldType, index?: number) => {
    const field = newField(type, names, NEW_LABELS[type]);
    editor.change((doc) => insertField(doc, field, index));
    setSelected(field.api_name);
    setTab('properties');
  };
  const reorder = (from: number, to: number) => {
    editor.change((doc) => ({ ...doc, form: move(doc.form, from, to) }));
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const id = String(active.id);
    if (id.startsWith(PALETTE)) {
      if (!over) return;
      const at = names.indexOf(String(over.id));
      add(id.slice(PALETTE.length) as FlowFieldType, at >= 0 ? at : undefined);
      return;
    }
    if (!over || over.id === active.id) return;
    const from = names.indexOf(id);
    const to = names.indexOf(String(over.id));
    if (from >= 0 && to >= 0) reorder(from, to);
  };
  const current = form.find((f) => f.api_name === selected);

  return (
    <div className="pf-form-designer">
      {readOnly && <Alert type="info" showIcon title={t('readOnly')} style={{ marginBottom: 12 }} />}
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
        <Row gutter={[16, 16]}>
          <Col xs={24} md={6} lg={5}>
            <Card size="small" title={<h2 style={{ margin: 0, fontSize: 15 }}>{t('palette.title')}</h2>}>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                {t('palette.hint')}
              </Typography.Paragraph>
              <ul aria-label={t('palette.title')} style={{ padding: 0, margin: 0 }}>
                {FIELD_TYPES.map((type) => (
                  <PaletteItem
                    key={type}
                    type={type}
                    disabled={readOnly}
                    onAdd={() => {
                      add(type);
                    }}
                  />
                ))}
              </ul>
            </Card>
          </Col>
          <Col xs={24} md={9} lg={9}>
            <Card size="small" title={<h2 style={{ margin: 0, fontSize: 15 }}>{t('canvas.title')}</h2>}>
              <div
                ref={setCanvasRef}
                style={{
                  minHeight: 120,
                  padding: 4,
                  borderRadius: 8,
                  outline: isOver ? '2px dashed #1677ff' : undefined,
                }}
              >
                {form.length === 0 ? (
                  <Empty description={t('canvas.empty')} />
                ) : (
                  <SortableContext items={names} strategy={verticalListSortingStrategy}>
                    <ul ref={canvasRef} aria-label={t('canvas.title')} style={{ padding: 0, margin: 0 }}>
                      {form.map((field, index) => (
                        <FieldCard
                          key={field.api_name}
                          field={field}
                          index={index}
                          count={form.length}
                          selected={field.api_name === selected}
                          readOnly={readOnly}
                          problem={withProblems.has(field.api_name)}
                          uses={usesOf(document, field.api_name)}
                          tags={[
                            ...(calculated.has(field.api_name) ? [t('canvas.calculated')] : []),
                            ...(conditional.has(field.api_name) ? [t('canvas.conditional')] : []),
                          ]}
                          onSelect={() => {
                            setSelected(field.api_name);
                            setTab('properties');
                            editor.setFocus({ fieldApiName: field.api_name });
                          }}
                          onMove={(to) => {
                            reorder(index, to);
                          }}
                          onDelete={() => {
                            editor.change((doc) => removeField(doc, field.api_name));
                            if (selected === field.api_name) setSelected(undefined);
                          }}
                        />
                      ))}
                    </ul>
                  </SortableContext>
                )}
              </div>
            </Card>
          </Col>
          <Col xs={24} md={9} lg={10}>
            <Card size="small">
              <Tabs
                activeKey={tab}
                onChange={setTab}
                items={[
                  {
                    key: 'properties',
                    label: t('tabs.properties'),
                    children: current ? (
                      <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0 }}>
                        {editor.problems
                          .filter((p) => p.field_api_name === current.api_name)
                          .map((p) => (
                            <Alert
                              key={`${p.field}:${p.description}`}
                              type="error"
                              showIcon
                              style={{ marginBottom: 8 }}
                              title={
                                <>
                                  <code>{p.field}</code> {p.description}
                                </>
                              }
                            />
                          ))}
                        <FieldProperties
                          field={current}
                          siblings={names.filter((n) => n !== current.api_name)}
                          onPatch={(patch) => {
                            editor.change((doc) => updateField(doc, current.api_name, patch));
                          }}
                          onRename={(to) => {
                            editor.change((doc) => renameField(doc, current.api_name, to));
                            setSelected(to);
                          }}
                        />
                      </fieldset>
                    ) : (
                      <Empty description={t('props.none')} />
                    ),
                  },
                  {
                    key: 'rules',
                    label: t('tabs.rules'),
                    children: (
                      <RulesEditor
                        document={document}
                        change={(recipe) => {
                          editor.change(recipe);
                        }}
                        readOnly={readOnly}
                        label={label}
                      />
                    ),
                  },
                  { key: 'preview', label: t('tabs.preview'), children: <FormPreview document={document} /> },
                ]}
              />
            </Card>
          </Col>
        </Row>
      </DndContext>
    </div>
  );
}
