#!/usr/bin/env node
import { ConfigError, CONFIG_HELP, parseConfig } from './config.js';
import { createLogger, openConfiguredDatabase, startServer, StartupError } from './server.js';

const USAGE = `peopleflow — self-hosted Feishu People process platform

Usage:
  peopleflow serve [--demo] [options]   start the server (migrates the database first)
  peopleflow migrate [options]          apply database migrations and exit
  peopleflow help                       this text

Options (flag, environment variable, default):
${CONFIG_HELP}
  (environment only)     PEOPLEFLOW_ADMIN_TOKEN, PEOPLEFLOW_MASTER_KEY
`;

async function main(argv: string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  const config = parseConfig(rest, process.env);
  if (command === 'migrate') {
    const database = await openConfiguredDatabase(config);
    await database.close();
    process.stdout.write(`migrations applied to the ${database.dialect} database\n`);
    return 0;
  }
  if (command !== 'serve') {
    process.stderr.write(`peopleflow: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
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
