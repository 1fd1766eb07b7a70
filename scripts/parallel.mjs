// Runs npm scripts side by side (`node scripts/parallel.mjs lint:eslint typecheck`): each is single-threaded
// and CPU-bound, so on a 2-core machine two at once take about as long as the longer one alone.
// Each script's output is held and written whole when it ends (never interleaved); the exit code is
// non-zero when any script failed.
import { spawn } from 'node:child_process';

const names = process.argv.slice(2);
if (names.length === 0) {
  process.stderr.write('usage: node scripts/parallel.mjs <npm script> [<npm script> …]\n');
  process.exit(2);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const results = await Promise.all(
  names.map(
    (name) =>
      new Promise((resolve) => {
        const started = Date.now();
        const child = spawn(npm, ['run', name], { stdio: ['ignore', 'pipe', 'pipe'] });
        const output = [];
        child.stdout.on('data', (chunk) => output.push(chunk));
        child.stderr.on('data', (chunk) => output.push(chunk));
        child.on('error', (error) => output.push(Buffer.from(`${String(error)}\n`)));
        child.on('close', (code) => {
          const seconds = Math.round((Date.now() - started) / 1000);
          process.stdout.write(`\n> ${name}: ${code === 0 ? 'ok' : `FAILED (${code})`} in ${seconds} s\n`);
          process.stdout.write(Buffer.concat(output));
          resolve(code === 0);
        });
      }),
  ),
);
process.exit(results.every(Boolean) ? 0 : 1);
