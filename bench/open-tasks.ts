import type autocannon from 'autocannon';
import { leaveStartBody } from './leave.js';
import type { ServerProcess } from './server-process.js';

/** Open manager tasks, to approve one per request. */
export async function openTasks(
  server: ServerProcess,
  token: string,
): Promise<{ process_id: string; approver_id: string }[]> {
  const out: { process_id: string; approver_id: string }[] = [];
  let pageToken = '';
  for (;;) {
    const r = await fetch(
      `${server.url}/open-apis/corehr/v2/approvers?user_id=manager&user_id_type=user_id&approver_status=1&page_size=100${pageToken ? `&page_token=${pageToken}` : ''}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    const body = (await r.json()) as {
      data: {
        approver_list: { process_id: string; approver_id: string }[];
        has_more: boolean;
        page_token: string;
      };
    };
    out.push(...body.data.approver_list);
    if (!body.data.has_more) return out;
    pageToken = body.data.page_token;
  }
}

/** Starts leave requests, `concurrency` at a time, until the manager holds at least `count` open tasks. */
export async function ensureOpenTasks(server: ServerProcess, token: string, count: number): Promise<number> {
  const open = (await openTasks(server, token)).length;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const body = leaveStartBody(server.demo.flow_definitions.leave!);
  let missing = count - open;
  const worker = async () => {
    while (missing-- > 0)
      await fetch(`${server.url}/open-apis/corehr/v2/process_start?user_id_type=user_id`, {
        method: 'POST',
        headers,
        body,
      }).then((r) => r.arrayBuffer());
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return Math.max(open, count);
}

/**
 * autocannon requests that approve one open task each, in turn (as the manager; the approval completes
 * the 2-day leave). Past the last task they start again from the first, which the server refuses.
 */
export function approveRequests(
  tasks: readonly { process_id: string; approver_id: string }[],
): autocannon.Request[] {
  let next = 0;
  return [
    {
      method: 'PUT',
      setupRequest: (req) => {
        const task = tasks[next++ % tasks.length]!;
        return {
          ...req,
          path: `/open-apis/corehr/v2/processes/${task.process_id}/approvers/${task.approver_id}?user_id_type=user_id`,
          body: JSON.stringify({ status: 3, user_id: 'manager' }),
        };
      },
    },
  ];
}
