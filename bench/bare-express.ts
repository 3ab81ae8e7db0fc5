/**
 * The ceiling for the HTTP rows of `npm run bench`: a bare Express 5 app answering `GET /` with a
 * small JSON, in its own process like the service. Prints `BARE_LISTENING <port>`.
 */
import express from 'express';

const app = express();
app.get('/', (_req, res) => {
  res.json({ status: 'ok', service: 'bare' });
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`BARE_LISTENING ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
