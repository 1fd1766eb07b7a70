#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { ConfigError, CONFIG_HELP, parseConfig } from './config.js';
import { boundHeapGrowth } from './platform/heap-growth.js';
import {
  createLogger,
  openConfiguredDatabase,
  resetAdminToken,
  startServer,
  StartupError,
} from './server.js';

const USAGE = `peopleflow — self-hosted Feishu People process platform

Usage:
  peopleflow serve [--demo] [options]         start the server (migrates the database first)
  peopleflow migrate [options]                apply database migrations and exit
  peopleflow admin-token --reset [options]    replace the admin token with a new one and print it
  peopleflow help | --help | -h               this text
  peopleflow --version | -v                   the version

Options (flag, environment variable, default):
${CONFIG_HELP}
  (environment only)     PEOPLEFLOW_ADMIN_TOKEN, PEOPLEFLOW_MASTER_KEY
`;

const ADMIN_TOKEN_USAGE = `peopleflow admin-token --reset [options]

Makes a new admin token, stores its hash in the configured database (the same --data-dir,
--database-url and master key as the server) and prints it once. The old token stops working, in
running servers too, within a second. Not available while PEOPLEFLOW_ADMIN_TOKEN is set: that
variable decides the token then.
`;

function version(): string {
  // package.json sits one level above both src/ and dist/.
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

async function main(argv: string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    process.stdout.write(`peopleflow ${version()}\n`);
    return 0;
  }
  if (!['serve', 'migrate', 'admin-token'].includes(command)) {
    process.stderr.write(`peopleflow: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command === 'admin-token' ? ADMIN_TOKEN_USAGE : USAGE);
    return 0;
  }
  if (command === 'admin-token') {
    const reset = rest.includes('--reset');
    const config = parseConfig(
      rest.filter((a) => a !== '--reset'),
      process.env,
    );
    if (!reset) {
      process.stderr.write(
        `peopleflow: the admin token is stored only as a hash and cannot be shown; "peopleflow admin-token --reset" makes a new one\n`,
      );
      return 2;
    }
    if (config.adminToken !== undefined) {
      process.stderr.write(
        'peopleflow: PEOPLEFLOW_ADMIN_TOKEN is set, and the server uses that token: change the variable instead\n',
      );
      return 1;
    }
    const token = await resetAdminToken(config);
    process.stderr.write('New admin token (shown only now; the previous one no longer works):\n');
    process.stdout.write(`${token}\n`);
    return 0;
  }
  const config = parseConfig(rest, process.env);
  if (command === 'migrate') {
    const database = await openConfiguredDatabase(config);
    await database.close();
    process.stdout.write(`migrations applied to the ${database.dialect} database\n`);
    return 0;
  }
  // A long-running server: its heap kept near what it uses (platform/heap-growth.ts).
  boundHeapGrowth();
  const logger = createLogger(config);
  const server = await startServer(config, { logger });
  if (server.demo) {
    process.stdout.write(
      `\nDemo tenant "${server.demo.tenant_key}" ready; app ${server.demo.app.app_id}. Manifest: ${config.dataDir}/demo.json\n`,
    );
  }
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting at once');
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, 'shutting down: finishing in-flight requests');
      server.close().then(
        () => {
          logger.info('shutdown complete');
          resolve();
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', () => {
      stop('SIGTERM');
    });
    process.once('SIGINT', () => {
      stop('SIGINT');
    });
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (
      error instanceof StartupError ||
      error instanceof ConfigError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`peopleflow: ${(error as Error).message}\n`);
    } else {
      process.stderr.write(`peopleflow: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    }
    process.exitCode = 1;
  },
);
