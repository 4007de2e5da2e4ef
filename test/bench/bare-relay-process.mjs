/*
 * One side of the sync bench's baseline: a bare Express process with no
 * store, no queue, no flow and no order. As A (with RELAY_TO set) it takes a
 * record on the Table API's incident paths and relays it by HTTP to B,
 * answering once B has answered; as B it acknowledges what arrives. The cost
 * floor of moving one JSON record between two processes, each change
 * acknowledged, with nothing durable.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import express from 'express';

const relayTo = process.env.RELAY_TO;
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function relay(record) {
  const body = JSON.stringify(record);
  return new Promise((resolve, reject) => {
    const req = request(new URL('/records', relayTo), { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`B answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const app = express();
app.use(express.json());
app.post('/records', (req, res) => res.json({ received: req.body.sys_id }));
const forward = (status) => async (req, res, next) => {
  const record = { ...req.body, sys_id: req.params.sysId ?? randomUUID().replaceAll('-', '') };
  try {
    await relay(record);
    res.status(status).json({ result: { sys_id: record.sys_id, sys_mod_count: 0 } });
  } catch (error) {
    next(error);
  }
};
app.post('/api/now/table/incident', forward(201));
app.patch('/api/now/table/incident/:sysId', forward(200));

const server = app.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
