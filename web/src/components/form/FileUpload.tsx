import { useRef, useState } from 'react';
import { Button, Space, Typography } from 'antd';
import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { FileRef } from '@contract';
import { isApiError } from '../../api/client';
import { formatFileSize } from '../../lib/formValues';
import { fileUrl, uploadFile } from './queries';

interface Props {
  id?: string;
  /** One file (a form field) or several (comment attachments). */
  value?: FileRef | FileRef[];
  onChange?: (value: FileRef | FileRef[] | undefined) => void;
  multiple?: boolean;
  /** What the button says to assistive technology ("Upload file for Proof"). */
  buttonLabel: string;
  disabled?: boolean;
}

/** Uploads to POST /api/v1/files first; the field then holds the FileRef. Size/type refusals are shown here. */
export function FileUpload({ id, value, onChange, multiple, buttonLabel, disabled }: Props) {
  const { t, i18n } = useTranslation('request');
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const files = value === undefined ? [] : Array.isArray(value) ? value : [value];

  const pick = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    setBusy(true);
    setError(null);
    const added: FileRef[] = [];
    try {
      for (const file of Array.from(list)) added.push(await uploadFile(file));
    } catch (e) {
      if (isApiError(e, 'payload_too_large')) setError(t('upload.too_large'));
      else if (isApiError(e, 'upload_quota_exceeded')) setError(t('upload.quota'));
      else if (isApiError(e, 'unsupported_media_type')) setError(t('upload.bad_type'));
      else setError(t('upload.failed'));
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
    if (added.length > 0) onChange?.(multiple ? [...files, ...added] : added[0]);
  };

  const remove = (fileId: string) => {
    const rest = files.filter((f) => f.file_id !== fileId);
    onChange?.(multiple ? rest : undefined);
  };

  return (
    <div>
      <input
        ref={input}
        type="file"
        multiple={multiple}
        // Not `hidden`: a stylesheet may show it again; the button below is what people use.
        style={{ display: 'none' }}
        tabIndex={-1}
        aria-hidden="true"
        onChange={(e) => void pick(e.target.files)}
      />
      <Space orientation="vertical" size={4} style={{ width: '100%' }}>
        {(multiple || files.length === 0) && (
          <Button
            id={id}
            icon={<UploadOutlined />}
            loading={busy}
            disabled={disabled}
            aria-label={buttonLabel}
            onClick={() => input.current?.click()}
          >
            {busy ? t('upload.uploading') : t('upload.choose')}
          </Button>
        )}
        {files.map((f) => (
          <Space key={f.file_id} size={4} wrap>
            <PaperClipOutlined aria-hidden />
            <Typography.Link href={fileUrl(f.file_id)} target="_blank" rel="noopener">
              {f.name}
            </Typography.Link>
            <Typography.Text type="secondary">{formatFileSize(f.size, i18n.language)}</Typography.Text>
            {!disabled && (
              <Button
                size="small"
                type="text"
                icon={<DeleteOutlined />}
                aria-label={t('upload.remove', { name: f.name })}
                onClick={() => {
                  remove(f.file_id);
                }}
              />
            )}
          </Space>
        ))}
        {error && (
          <Typography.Text type="danger" role="alert">
            {error}
          </Typography.Text>
        )}
      </Space>
    </div>
  );
}
