// `npm run dev`: the server (restarted on change, with --demo) and the web app's Vite dev server
// (hot reload; /api is proxied to the server) side by side. Ctrl-C stops both.
import { spawn } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const children = ['dev:server', 'dev:web'].map((script) => {
  const child = spawn(npm, ['run', '--silent', script], { stdio: 'inherit', env: process.env });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`\n${script} ended (${signal ?? code}); stopping the other one.\n`);
      stop(code ?? 1);
    }
  });
  return child;
});

let stopping = false;
function stop(code) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
process.stdout.write(
  'PeopleFlow dev: API on http://127.0.0.1:8080, web app with hot reload on http://127.0.0.1:5173\n',
);
