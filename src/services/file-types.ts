/**
 * Which uploads are accepted: an allow-list of declared content types, each checked against the
 * file's first bytes for the obvious cases, so that a file named `.png` that is really an
 * executable or an HTML page is refused. Pure functions: bytes and strings in, a verdict out.
 */

type Family = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'tiff' | 'pdf' | 'zip' | 'ole' | 'text';

/** Declared type → what its bytes must look like. */
const ALLOWED: Record<string, Family> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/bmp': 'bmp',
  'image/tiff': 'tiff',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/x-zip-compressed': 'zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'zip',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'zip',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'zip',
  'application/vnd.oasis.opendocument.text': 'zip',
  'application/vnd.oasis.opendocument.spreadsheet': 'zip',
  'application/vnd.oasis.opendocument.presentation': 'zip',
  'application/msword': 'ole',
  'application/vnd.ms-excel': 'ole',
  'application/vnd.ms-powerpoint': 'ole',
  'text/plain': 'text',
  'text/csv': 'text',
  'text/markdown': 'text',
};

/** The type stored for a file sent as octet-stream whose bytes say what it is. */
const SNIFFED_TYPE: Partial<Record<Family, string>> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
  pdf: 'application/pdf',
};

const DESCRIBED: Record<Family, string> = {
  png: 'a PNG image',
  jpeg: 'a JPEG image',
  gif: 'a GIF image',
  webp: 'a WebP image',
  bmp: 'a BMP image',
  tiff: 'a TIFF image',
  pdf: 'a PDF document',
  zip: 'a ZIP archive (or an Office Open XML / OpenDocument file)',
  ole: 'a legacy Office document',
  text: 'text',
};

const startsWith = (bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + prefix.length && prefix.every((b, i) => bytes[offset + i] === b);
const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

/** Executables and scripts: refused whatever they are declared as. */
function executableKind(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, ascii('MZ'))) return 'a Windows executable';
  if (startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) return 'an ELF executable';
  for (const magic of [
    [0xfe, 0xed, 0xfa, 0xce],
    [0xfe, 0xed, 0xfa, 0xcf],
    [0xce, 0xfa, 0xed, 0xfe],
    [0xcf, 0xfa, 0xed, 0xfe],
    [0xca, 0xfe, 0xba, 0xbe],
  ])
    if (startsWith(bytes, magic)) return 'a Mach-O executable or Java class';
  if (startsWith(bytes, ascii('#!'))) return 'a script';
  return undefined;
}

/** Markup a browser would render (HTML, SVG, XML) at the start of a text file. */
function looksLikeMarkup(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 1024))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  return /^<(!doctype\s+html|html|head|body|script|svg|\?xml|iframe|object|embed)[\s>/]/.test(head);
}

function isText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 8192);
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) return true; // UTF-16 with BOM
  return !head.includes(0);
}

function matches(family: Family, bytes: Uint8Array): boolean {
  switch (family) {
    case 'png':
      return startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'jpeg':
      return startsWith(bytes, [0xff, 0xd8, 0xff]);
    case 'gif':
      return startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'));
    case 'webp':
      return startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8);
    case 'bmp':
      return startsWith(bytes, ascii('BM'));
    case 'tiff':
      return startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]);
    case 'pdf':
      return startsWith(bytes, ascii('%PDF-'));
    case 'zip':
      return startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]);
    case 'ole':
      return startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    case 'text':
      return isText(bytes) && !looksLikeMarkup(bytes);
  }
}

export type TypeVerdict = { ok: true; contentType: string } | { ok: false; reason: string };

/**
 * Whether a file declared as `declared` (a Content-Type, parameters ignored) with these bytes is
 * accepted, and the content type to store and serve it with.
 */
export function checkContentType(declared: string, name: string, bytes: Uint8Array): TypeVerdict {
  const type = declared.split(';')[0]?.trim().toLowerCase() ?? '';
  const executable = executableKind(bytes);
  if (executable) return { ok: false, reason: `the file is ${executable}; executables are not accepted` };
  if (type === 'application/octet-stream' || type === '') {
    // Browsers send octet-stream for extensions they do not know: take what the bytes clearly are.
    for (const [family, sniffed] of Object.entries(SNIFFED_TYPE))
      if (matches(family as Family, bytes)) return { ok: true, contentType: sniffed };
    return { ok: false, reason: `content type ${type || '(none)'} is not accepted; ${ALLOWED_TEXT}` };
  }
  const family = ALLOWED[type];
  if (!family) return { ok: false, reason: `content type ${type} is not accepted; ${ALLOWED_TEXT}` };
  // Windows sends .csv files as application/vnd.ms-excel when Excel is installed.
  if (type === 'application/vnd.ms-excel' && /\.csv$/i.test(name) && matches('text', bytes))
    return { ok: true, contentType: 'text/csv' };
  if (!matches(family, bytes)) {
    const markup = family === 'text' && looksLikeMarkup(bytes);
    return {
      ok: false,
      reason: markup
        ? `declared ${type} but the content is HTML, SVG or XML markup, which is not accepted`
        : `declared ${type} but the content is not ${DESCRIBED[family]}`,
    };
  }
  return { ok: true, contentType: type };
}

const ALLOWED_TEXT =
  'accepted are images (PNG, JPEG, GIF, WebP, BMP, TIFF), PDF, Office documents, plain text, CSV, Markdown and ZIP';

/** The accepted declared types, for docs and the upload dialog. */
export const ACCEPTED_CONTENT_TYPES: readonly string[] = Object.keys(ALLOWED);

export type NameVerdict = { ok: true; name: string } | { ok: false; reason: string };

/**
 * A file name as stored and served: no directory part (either slash), no control characters,
 * at most 255 characters. A NUL byte is refused rather than cut at, as it is a sign of an attempt
 * to smuggle a different extension past a check.
 */
export function sanitiseFileName(raw: string): NameVerdict {
  if (raw.includes('\0')) return { ok: false, reason: 'must not contain NUL bytes' };
  const base = raw.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const name = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (name === '' || name === '.' || name === '..') return { ok: false, reason: 'must name a file' };
  if (Array.from(name).length > 255) return { ok: false, reason: 'must be at most 255 characters' };
  return { ok: true, name };
}
