/**
 * npm run bench order-mail — an order of one certificate over HTTP with a real SMTP relay that
 * answers slowly (100 ms), its mail going through the outbox; beside it in the same run the same
 * order on a second service whose relay answers at once (the baseline: a ratio near 1 means the
 * relay's delay is not in the request) and one send to the slow relay (what an order waited for
 * when the mail was sent inside the request). Medians of 3 interleaved rounds. Prints the table and writes its section of bench/results.md.
 */
import os from 'node:os';
import { createSmtpMailer } from '../service/adapters/mail/smtp-mailer.js';
import { startService } from '../test/support/service.js';
import { startSmtpServer } from '../test/support/smtp-server.js';
import { Student, user } from '../test/support/student-api.js';
import { measure } from './measure.js';
import { writeSection } from './results.js';

const RELAY_DELAY_MS = 100;
const ROUNDS = 3;
const RUNS = 30;
const order = (studentId: string) => ({ studentId, destination: 'convenience', items: [{ typeCode: 'enrollment', language: 'ja', copies: 1 }] });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const [smtp, fastSmtp] = await Promise.all([startSmtpServer({ replyDelayMs: RELAY_DELAY_MS }), startSmtpServer()]);
const [svc, fastSvc] = await Promise.all([startService({ SMTP_URL: smtp.url }), startService({ SMTP_URL: fastSmtp.url })]);
try {
  const withMail = new Student(svc);
  await withMail.signIn(user('s2101001'));
  await withMail.registerMail(smtp, 'taro@example.jp');
  const fastRelay = new Student(fastSvc);
  await fastRelay.signIn(user('s2101001'));
  await fastRelay.registerMail(fastSmtp, 'taro@example.jp');
  const relay = createSmtpMailer(smtp.url, 'no-reply@shomei.example.ac.jp');
  const place = (s: Student, id: string) => async () => {
    const r = await s.api('POST', '/api/certificates/orders', order(id));
    if (r.status !== 201) throw new Error(`order answered ${r.status}: ${JSON.stringify(r.body)}`);
  };
  const ours: number[] = [];
  const baseline: number[] = [];
  const direct: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    ours.push((await measure('order, mail through the outbox', RUNS, place(withMail, '2101001'), { warmUp: 3 })).p50ms);
    baseline.push((await measure('order, relay answering at once', RUNS, place(fastRelay, '2101001'), { warmUp: 3 })).p50ms);
    direct.push(
      (
        await measure(
          'one send to the relay',
          10,
          () => relay.send({ to: 'x@example.jp', language: 'ja', subject: 'bench', text: 'bench', html: '<p>bench</p>' }),
          { warmUp: 1 },
        )
      ).p50ms,
    );
  }
  // Every mail of the measured orders reaches the relay after the answers.
  const deadline = Date.now() + 60_000;
  while ((await svc.stores.mailOutbox.list()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const left = (await svc.stores.mailOutbox.list()).length;

  const [o, b, d] = [median(ours), median(baseline), median(direct)];
  const met = o <= 60 && o < d;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const table = `Measured on ${os.cpus().length} × ${cpu}, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)} at the end; services in-process (demo mode, lowdb, LOG_LEVEL=silent), relay: the test SMTP server answering each message ${RELAY_DELAY_MS} ms late; ${ROUNDS} interleaved rounds of ${RUNS} sequential orders; ${new Date().toISOString().slice(0, 16)}Z. Mails still in the outbox after the run: ${left}.

| figure | ours | baseline: the same order, relay answering at once | ratio | what the order waited before: one send to the relay | goal | met? |
|---|---|---|---|---|---|---|
| order of 1 certificate over HTTP, p50 | ${o.toFixed(1)} ms | ${b.toFixed(1)} ms | ${(o / b).toFixed(2)} × | ${d.toFixed(1)} ms | ≤ 60 ms p50; the mail never in the request | ${met ? 'yes' : '**no**'} |
`;
  console.log(`\n${table}`);
  writeSection('Order mail through the outbox', table);
} finally {
  await Promise.all([svc.stop(), fastSvc.stop()]);
  await Promise.all([smtp.stop(), fastSmtp.stop()]);
}
