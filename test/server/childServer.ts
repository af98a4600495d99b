// A web server in its own process, for the tests that must see the process survive (a crash
// here ends this process, and the test's next request fails). Prints `{ url, token }` once
// listening; each stdin line is a training event to emit, as a run would.
import type { TrainEvent } from '../../src/api/training.js';
import { startTestServer } from './serverHarness.js';

const { server, training } = await startTestServer();
process.stdout.write(`${JSON.stringify({ url: server.url, token: server.token })}\n`);
let pending = '';
process.stdin.on('data', (chunk: Buffer) => {
  pending += chunk.toString();
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) if (line.trim()) training.emit(JSON.parse(line) as TrainEvent);
});
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
