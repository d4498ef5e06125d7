// Answers every request with a greeting and logs one line per request on stdout.
import { createServer } from 'node:http';

const port = Number(process.env.PORT || 8080);
const server = createServer((request, response) => {
  console.log(`hello-http: ${request.method} ${request.url}`);
  response.end(`hello from runit-ts (pid ${process.pid})\n`);
});
server.listen(port, '127.0.0.1', () => console.log(`hello-http: listening on http://127.0.0.1:${port}/`));
// runsv stops a service with SIGTERM (then SIGCONT): close the server and leave.
process.on('SIGTERM', () => {
  console.log('hello-http: stopping');
  server.close(() => process.exit(0));
});
