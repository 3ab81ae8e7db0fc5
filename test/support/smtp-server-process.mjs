// A real SMTP server for tests, run as its own process by test/support/smtp-server.ts.
// Environment: SMTP_MAIL_DIR (required: where each message is saved as <seq>.eml plus <seq>.json
// with its envelope), SMTP_USER / SMTP_PASS (optional: the only credentials AUTH accepts; when
// unset, any credentials are accepted), SMTP_PORT (optional: the port, else a free one),
// SMTP_REPLY_DELAY_MS (optional: how long the answer to each message's data is held back).
// AUTH is optional, STARTTLS is off.
// Prints "SMTP_LISTENING <port>" on stdout once listening on 127.0.0.1; exits when its stdin
// closes (the parent died) or on SIGTERM/SIGINT.
import { createWriteStream } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SMTPServer } from 'smtp-server';

const dir = process.env.SMTP_MAIL_DIR;
if (!dir) {
  console.error('smtp-server-process: SMTP_MAIL_DIR is required');
  process.exit(2);
}
const user = process.env.SMTP_USER || null;
const pass = process.env.SMTP_PASS ?? '';
const replyDelayMs = Number(process.env.SMTP_REPLY_DELAY_MS || 0);
const port = Number(process.env.SMTP_PORT || 0);

let seq = 0;

const server = new SMTPServer({
  name: 'shomei-test-smtp',
  banner: 'Shomei test SMTP server',
  authOptional: true,
  allowInsecureAuth: true,
  authMethods: ['PLAIN', 'LOGIN'],
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 10 * 1024 * 1024,
  onAuth(auth, _session, callback) {
    if (user === null || (auth.username === user && auth.password === pass)) {
      callback(null, { user: auth.username });
      return;
    }
    const err = new Error('Invalid username or password');
    err.responseCode = 535;
    callback(err);
  },
  onData(stream, session, callback) {
    const name = `${String(Date.now()).padStart(14, '0')}-${String(++seq).padStart(6, '0')}`;
    const temp = path.join(dir, `.${name}.eml.tmp`);
    const envelope = {
      mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
      rcptTo: session.envelope.rcptTo.map((r) => r.address),
      user: session.user ?? null,
    };
    pipeline(stream, createWriteStream(temp))
      .then(async () => {
        // Envelope first, then the message under its final name: a reader never sees half a mail.
        await writeFile(path.join(dir, `${name}.json`), JSON.stringify({ ...envelope, receivedAt: Date.now() }));
        await rename(temp, path.join(dir, `${name}.eml`));
        // A slow relay: the mail is kept, the client still waits for the answer.
        if (replyDelayMs > 0) await new Promise((r) => setTimeout(r, replyDelayMs));
        callback(null, `Saved as ${name}`);
      })
      .catch((err) => callback(err));
  },
});

server.on('error', (err) => console.error('smtp-server-process:', err.message));

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent holds our stdin open: when it goes away (even by kill -9), so do we.
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`SMTP_LISTENING ${server.server.address().port}\n`);
});
