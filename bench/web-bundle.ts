import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

/**
 * `npm run bench:web` — how much compressed JavaScript a browser downloads before each screen of the
 * web app shows: the entry chunk, the route's lazy chunk and every chunk they import statically,
 * read from Vite's build manifest (dist/web/.vite/manifest.json), gzipped here at level 9 as a server
 * or CDN would. The budget: under 300 KB for the approval center's first load.
 * `--no-build` measures the build that is there; `--check` exits 1 when the approval center is over.
 */
const { values } = parseArgs({
  options: { 'no-build': { type: 'boolean', default: false }, check: { type: 'boolean', default: false } },
});

const ROOT = join(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist', 'web');
const MANIFEST = join(DIST, '.vite', 'manifest.json');
export const BUDGET_BYTES = 300_000;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/** The chunk files loaded before a chunk runs: itself and its static imports, transitively. */
export function staticClosure(manifest: Manifest, keys: string[]): Set<string> {
  const seen = new Set<string>();
  const files = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`manifest has no chunk ${key}`);
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const key of keys) visit(key);
  return files;
}

function gzipped(file: string): { raw: number; gzip: number } {
  const bytes = readFileSync(join(DIST, file));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

if (!values['no-build'] || !existsSync(MANIFEST)) {
  execSync('npx vite build --config web/vite.config.ts --logLevel warn', { cwd: ROOT, stdio: 'inherit' });
}
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
const entry = Object.keys(manifest).find((key) => manifest[key]?.isEntry);
if (!entry) throw new Error('no entry chunk in the manifest');

const screens: [string, string][] = [
  ['Approval center (/approval-center/todo)', 'src/pages/inbox/ApprovalCenterPage.tsx'],
  ['Sign-in (/sign-in)', 'src/pages/auth/SignInPage.tsx'],
  ['Process detail (/approval-center/processes/:id)', 'src/pages/process/ProcessPage.tsx'],
  ['New request (/approval-center/new/:flowId)', 'src/pages/request/NewRequestPage.tsx'],
  ['Profile (/profile)', 'src/pages/profile/ProfilePage.tsx'],
];

const kb = (bytes: number) => (bytes / 1000).toFixed(1);
const lines: string[] = [];
lines.push('| screen | JS files | JS raw kB | JS gzip kB |');
lines.push('|---|---|---|---|');
let approvalCenter = 0;
for (const [label, key] of screens) {
  if (!manifest[key]) continue;
  const files = [...staticClosure(manifest, [entry, key])].filter((f) => f.endsWith('.js'));
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const size = gzipped(file);
    raw += size.raw;
    gzip += size.gzip;
  }
  if (key.includes('ApprovalCenterPage')) approvalCenter = gzip;
  lines.push(`| ${label} | ${files.length} | ${kb(raw)} | ${kb(gzip)} |`);
}
let total = 0;
for (const chunk of new Set(Object.values(manifest).map((c) => c.file)))
  if (chunk.endsWith('.js')) total += gzipped(chunk).gzip;
lines.push(`| whole app (every chunk) | | | ${kb(total)} |`);
process.stdout.write(`## Web app: JavaScript before first paint (gzip -9)\n\n${lines.join('\n')}\n\n`);
const verdict = approvalCenter <= BUDGET_BYTES ? 'within' : 'OVER';
process.stdout.write(
  `Approval center first load: ${kb(approvalCenter)} kB of ${kb(BUDGET_BYTES)} kB budget (${verdict}).\n`,
);
if (values.check && approvalCenter > BUDGET_BYTES) process.exit(1);
