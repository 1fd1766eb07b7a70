import * as lark from '@larksuiteoapi/node-sdk';
import { EVENT_TYPES } from '../src/services/app.service.js';
import type { ServerProcess } from './server-process.js';

/**
 * The demo app subscribed to every event over the long connection with the official SDK's WSClient,
 * as in a real deployment: the HTTP loads are measured with the server delivering what they emit.
 */
export async function subscribeDemoApp(
  server: ServerProcess,
  /** Called with each event's data as it arrives (its `create_time` is the commit time), and its type. */
  onEvent: (data: { create_time?: string }, type: string) => void = () => undefined,
): Promise<{ received: () => number; close: () => void }> {
  let received = 0;
  const handlers: Record<string, (data: { create_time?: string }) => Promise<void>> = {};
  for (const type of EVENT_TYPES)
    handlers[type] = (data) => {
      received++;
      onEvent(data, type);
      return Promise.resolve();
    };
  const ws = new lark.WSClient({
    appId: server.demo.app.app_id,
    appSecret: server.demo.app.app_secret,
    domain: server.url,
    loggerLevel: lark.LoggerLevel.fatal,
  });
  await ws.start({
    eventDispatcher: new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.fatal }).register(
      handlers as never,
    ),
  });
  // The connection is open once the server has handed out and accepted a ticket.
  await new Promise((r) => setTimeout(r, 500));
  return {
    received: () => received,
    close: () => {
      ws.close({ force: true });
    },
  };
}
