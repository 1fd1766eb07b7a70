import autocannon from 'autocannon';
import { leaveStartBody } from './leave.js';
import { startServerProcess, tenantToken } from './server-process.js';
const server = await startServerProcess(process.argv.slice(2));
let err = '';
server.child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
const token = await tenantToken(server);
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const leave = server.demo.flow_definitions.leave!;
const r = await autocannon({
  url: `${server.url}/open-apis/corehr/v2/process_start?user_id_type=user_id`,
  method: 'POST',
  body: leaveStartBody(leave),
  connections: 16,
  duration: 5,
  headers,
});
console.log('req/s', r.requests.average, 'p99', r.latency.p99);
await server.stop();
console.log(
  err
    .split('\n')
    .filter((l) => l.startsWith('STAT') || l.startsWith('TOTAL'))
    .join('\n'),
);
