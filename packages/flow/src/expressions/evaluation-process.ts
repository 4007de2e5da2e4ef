import type { ExpressionLimits } from './expression-limits.js';
import { Sandbox } from './sandbox.js';
import type { EvaluationRequest, ProcessMessage } from './evaluation-protocol.js';

/**
 * An evaluation process of the ProcessPool: evaluates one expression at a
 * time, off the server's event loop, with the heap limit the pool gave it.
 * When one runs past its time, the pool kills this process and starts another.
 * Its limits come as its one argument, in JSON.
 */
if (process.send === undefined) throw new Error('evaluation-process runs as a child process of a ProcessPool, with an IPC channel');
const send = process.send.bind(process) as (message: ProcessMessage) => boolean;
const sandbox = await Sandbox.create(JSON.parse(process.argv[2] ?? '') as ExpressionLimits);

process.on('message', (request: EvaluationRequest) => {
  void sandbox.evaluate(request.expression, request.data).then((reply) => send({ kind: 'reply', reply }));
});
// Ends with the server, even one killed outright: its IPC channel closes then.
process.on('disconnect', () => process.exit(0));
send({ kind: 'ready' });
