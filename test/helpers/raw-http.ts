import { connect, type Socket } from 'node:net';

/** A plain TCP connection to the server, for what fetch hides: header case, stalls, closes. */
export interface RawConnection {
  socket: Socket;
  /** Everything received so far, as text. */
  received(): string;
  /** Settles when the server (or the test) closes the connection. */
  closed: Promise<void>;
  isClosed: () => boolean;
}

export async function rawConnect(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let data = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => {
    data += chunk.toString('latin1');
  });
  const whenClosed = new Promise<void>((resolve) => {
    socket.on('close', () => {
      closed = true;
      resolve();
    });
  });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => data, closed: whenClosed, isClosed: () => closed };
}

/** Waits for `condition`, failing with `what` after `timeoutMs` (a bound for a hang, not a timing). */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface RawResponse {
  status: number;
  /** Header names exactly as sent, with their values. */
  headers: [string, string][];
  body: string;
}

/** One complete response off `connection` (Content-Length framed), waiting for it to arrive. */
export async function readResponse(connection: RawConnection, from = 0): Promise<RawResponse> {
  let parsed: RawResponse | undefined;
  await waitUntil(() => {
    parsed = parseResponse(connection.received().slice(from));
    return parsed !== undefined || connection.isClosed();
  }, 'a response');
  if (!parsed) throw new Error(`no complete response; got: ${connection.received().slice(from)}`);
  return parsed;
}

function parseResponse(text: string): RawResponse | undefined {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  const length = Number(headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1] ?? 0);
  const body = text.slice(end + 4);
  if (body.length < length) return undefined;
  return { status: Number(statusLine.split(' ')[1]), headers, body: body.slice(0, length) };
}

/** `GET path` as a raw HTTP/1.1 request on a new connection; the response with its header names. */
export async function rawGet(
  url: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const connection = await rawConnect(url);
  try {
    const extra = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    const host = Object.keys(headers).some((name) => name.toLowerCase() === 'host')
      ? ''
      : 'Host: 127.0.0.1\r\n';
    connection.socket.write(`GET ${path} HTTP/1.1\r\n${host}${extra}Connection: close\r\n\r\n`);
    return await readResponse(connection);
  } finally {
    connection.socket.destroy();
  }
}
