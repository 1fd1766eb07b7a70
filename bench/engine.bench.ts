import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import BpmnModdle from 'bpmn-moddle';
import { startProcess, decide } from '../src/engine/transitions.js';
import type { FlowDefinition } from '../src/engine/definition.js';
import type { DirectorySnapshot } from '../src/engine/approver-resolution.js';
import { directory } from '../src/engine/__fixtures__/flows.js';
import { fromDocument } from '../src/services/definition-document.js';
import { DEMO_FLOWS } from '../src/services/demo-flows.js';

/** c. The leave flow in-process: our engine (no HTTP, no database) against bpmn-engine, same run. */

/** The demo leave flow over the engine tests' small organisation (emp → mgr, backend led by lead). */
function leaveSetup(): { definition: FlowDefinition; directory: DirectorySnapshot } {
  const { definition } = fromDocument(DEMO_FLOWS.leave!, {
    idOf: (userId) => (userId === 'process_admin' ? 'admin' : userId),
    userIdOf: (id) => id,
  });
  return { definition: { ...definition, id: '1', version: 1 }, directory: directory() };
}

const LEAVE_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <process id="leave" isExecutable="true">
    <startEvent id="start" />
    <userTask id="manager" />
    <exclusiveGateway id="long_leave" default="to_cc" />
    <userTask id="dept_leader" />
    <endEvent id="end" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="manager" />
    <sequenceFlow id="f2" sourceRef="manager" targetRef="long_leave" />
    <sequenceFlow id="to_leader" sourceRef="long_leave" targetRef="dept_leader">
      <conditionExpression xsi:type="tFormalExpression">\${environment.variables.days > 3}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="to_cc" sourceRef="long_leave" targetRef="end" />
    <sequenceFlow id="f3" sourceRef="dept_leader" targetRef="end" />
  </process>
</definitions>`;

export interface EngineResult {
  oursPerSecond: number;
  bpmnPerSecond: number;
  ratio: number;
}

/** Full instances (start, manager approves, 2 days: completes) for `ms` milliseconds each. */
export async function engineBench(ms: number): Promise<EngineResult> {
  const { definition, directory } = leaveSetup();
  let next = 1;
  const ctx = { now: 1_700_000_000_000, newId: () => String(next++), directory };
  const values = { leave_type: 'annual', start_date: '2026-12-01', end_date: '2026-12-02', days: '2' };
  const oursOnce = () => {
    const started = startProcess(definition, { processId: 'p', initiatorId: 'emp', formValues: values }, ctx);
    if (!started.ok) throw new Error(started.error.message);
    const task = started.value.state.tasks.find((t) => t.status === 'in_progress');
    if (!task) throw new Error('no open task');
    const done = decide(
      definition,
      started.value.state,
      { kind: 'approve', taskId: task.id, operatorId: task.assigneeId, system: false },
      ctx,
    );
    if (!done.ok || done.value.state.status !== 'completed') throw new Error('leave did not complete');
  };
  let ours = 0;
  for (let i = 0; i < 200; i++) oursOnce(); // warm-up
  let start = performance.now();
  while (performance.now() - start < ms) {
    oursOnce();
    ours++;
  }
  const oursPerSecond = ours / ((performance.now() - start) / 1000);

  // Parse the XML once, as our engine's definition is parsed once: only execution is compared.
  const moddleContext = await new BpmnModdle().fromXML(LEAVE_BPMN);
  const bpmnOnce = async () => {
    const engine = new Engine({ name: 'leave', moddleContext });
    const listener = new EventEmitter();
    listener.on('wait', (api: { signal: () => void }) => {
      api.signal();
    });
    const execution = await engine.execute({ listener, variables: { days: 2 } });
    if (execution.state !== 'idle' && !execution.stopped) await engine.waitFor('end');
  };
  for (let i = 0; i < 20; i++) await bpmnOnce();
  let bpmn = 0;
  start = performance.now();
  while (performance.now() - start < ms) {
    await bpmnOnce();
    bpmn++;
  }
  const bpmnPerSecond = bpmn / ((performance.now() - start) / 1000);
  return { oursPerSecond, bpmnPerSecond, ratio: oursPerSecond / bpmnPerSecond };
}
