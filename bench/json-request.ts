import { Agent, request as httpRequest } from 'node:http';

/**
 * Kept connections for the loads autocannon cannot send (whole instances, paced callers). The load
 * generator shares the server's two cores, so its own cost counts: `fetch` (undici behind WHATWG
 * streams) took ~300 µs of CPU a request here, about three times Node's HTTP client over kept
 * connections.
 */
export const keptAgent = new Agent({ keepAlive: true, maxSockets: 64 });

/** A JSON request over kept connections (`keptAgent` unless given): the status and the parsed body. */
export function jsonRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
  agent: Agent = keptAgent,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        try {
          resolve({
            status: response.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}
