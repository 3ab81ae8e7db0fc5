import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedStorePrintProvider } from '../../service/adapters/print/simulated-store.js';
import type { Account } from '../../service/domain/model.js';
import { refusal, TestClock } from '../support/factories.js';
import { startService, type RunningService } from '../support/service.js';

const accountFor = (studentIds: string[], id = 'acc-1'): Account => ({
  id,
  idpEntityId: 'https://idp.example',
  userId: `user-${id}`,
  mail: `${id}@example.ac.jp`,
  idpMail: null,
  displayName: '山田 太郎',
  nameKanji: '山田 太郎',
  nameKana: null,
  nameRoman: null,
  studentIds,
  affiliation: null,
  language: 'ja',
  createdAt: '2026-01-01T00:00:00.000Z',
  lastLoginAt: null,
  previousLoginAt: null,
});

const enrolled = accountFor(['2101001']);
const graduate = accountFor(['2101004'], 'acc-graduate');
/** Stored before the tests, as a sign-in would have. */
const ACCOUNTS = [enrolled, graduate];

describe('certificate orders (real demo registry, real data dir)', () => {
  let service: RunningService;
  const clock = new TestClock(new Date('2026-04-01T09:00:00Z'));
  const orders = () => service.deps.certificates.orders;
  const enrollmentOrder = (destination: 'convenience' | 'campus' | 'mail' = 'convenience') =>
    orders().placeOrder({ account: enrolled, studentId: '2101001', destination, items: [{ typeCode: 'enrollment', language: 'ja', copies: 1 }] }, clock.now());

  beforeAll(async () => {
    service = await startService({}, { clock });
    for (const account of ACCOUNTS) await service.stores.store.accounts.insert(account);
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
  });

  /** The archived PDF of a certificate (wherever the store family keeps it) as a file for poppler. */
  const pdfFile = async (number: string): Promise<string> => {
    const pdf = await service.stores.certificatePdfs.read(number);
    expect(pdf, `the PDF of ${number} is archived`).not.toBeNull();
    const file = path.join(service.dataDir, `${number}.check.pdf`);
    writeFileSync(file, pdf!);
    return file;
  };

  it('loads the demo certificate types into the store on first start', async () => {
    const codes = (await service.deps.certificates.store.types.list()).map((t) => t.code);
    expect(codes).toEqual(expect.arrayContaining(['enrollment', 'graduation', 'transcript', 'discount']));
  });

  it('issues an enrolled student an enrollment certificate with a signed PDF and an 8-digit reservation', async () => {
    const placed = await enrollmentOrder();
    expect(placed.reservation!.number).toMatch(/^[0-9]{8}$/);
    expect(placed.reservation!.expiresAt).toBe('2026-04-08T09:00:00.000Z');
    expect(placed.certificates).toHaveLength(1);
    const number = placed.certificates[0]!.number;
    expect(number).toMatch(/^SHM-2026-/);

    const file = await pdfFile(number);
    const sig = execFileSync('pdfsig', [file], { encoding: 'utf8' });
    expect(sig).toContain('Signature is Valid');
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text.replace(/\s/g, '')).toContain('山田太郎');
    expect(text).toContain(number);
    expect(text.replace(/\s/g, '')).toContain('在学証明書');

    const stored = await service.deps.certificates.store.certificates.findByNumber(number);
    expect(stored).toMatchObject({
      holderNameKanji: '山田 太郎',
      holderNameRoman: 'Taro Yamada',
      holderNameKana: 'ヤマダ タロウ',
      status: 'valid',
      offlineKeyId: service.deps.certificates.offlineKey.keyId,
    });
    // The code printed on the paper is the one /verify takes.
    const printedCode = /照合コード:\s*([0-9A-Z]{5}-[0-9A-Z]{5})/.exec(execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }))![1]!;
    expect(await service.deps.certificates.verify(number, printedCode)).toMatchObject({
      status: 'valid',
      holderMasked: '山田 ＊＊',
      holderMaskedRoman: 'T*** Yamada',
    });
    const audit = await service.deps.audit.list({ targetId: placed.order.id });
    expect(audit.items.map((e) => e.action)).toContain('certificate.order.placed');
  }, 60_000);

  it('refuses an order for a student ID the account does not hold', async () => {
    const err = await refusal(
      orders().placeOrder(
        { account: enrolled, studentId: '2101002', destination: 'campus', items: [{ typeCode: 'enrollment', language: 'ja', copies: 1 }] },
        clock.now(),
      ),
    );
    expect(err.code).toBe('order.studentNotOwned');
  });

  it('refuses a graduate an enrollment certificate', async () => {
    const err = await refusal(
      orders().placeOrder(
        { account: graduate, studentId: '2101004', destination: 'convenience', items: [{ typeCode: 'enrollment', language: 'ja', copies: 1 }] },
        clock.now(),
      ),
    );
    expect(err.code).toBe('order.statusNotEligible');
  });

  it('refuses 21 copies in one order', async () => {
    const err = await refusal(
      orders().placeOrder(
        {
          account: enrolled,
          studentId: '2101001',
          destination: 'convenience',
          items: [
            { typeCode: 'enrollment', language: 'ja', copies: 10 },
            { typeCode: 'enrollment', language: 'en', copies: 10 },
            { typeCode: 'transcript', language: 'ja', copies: 1 },
          ],
        },
        clock.now(),
      ),
    );
    expect(err.code).toBe('order.copiesOverOrderLimit');
  });

  it('prints a reservation once through the simulated store: claim, every document, confirm; then refuses it', async () => {
    const placed = await enrollmentOrder();
    const number = placed.reservation!.number;
    const certificateNumber = placed.certificates[0]!.number;
    const printer = new SimulatedStorePrintProvider(service.deps.certificates.reservationPrinting, clock);
    const reservation = () => service.deps.certificates.store.reservations.get(placed.reservation!.id);
    expect((await printer.redeem(number)).map((d) => d.certificateNumber)).toEqual([certificateNumber]);

    const ticket = await printer.claim(number);
    expect(ticket.documents).toEqual([{ certificateNumber, typeCode: 'enrollment', language: 'ja', copies: 1 }]);
    expect((await reservation())!.status).toBe('printing');
    const pdf = await printer.document(number, ticket.claimId, certificateNumber);
    expect(Buffer.from(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Claimed and delivered, but not printed until the terminal confirms.
    expect((await reservation())!.status).toBe('printing');
    await printer.confirm(number, ticket.claimId);
    expect((await reservation())!.status).toBe('printed');

    expect((await refusal(printer.claim(number))).code).toBe('reservation.alreadyPrinted');
    expect((await refusal(printer.redeem(number))).code).toBe('reservation.alreadyPrinted');
  }, 60_000);

  it('refuses to print an expired reservation and an unknown number', async () => {
    const placed = await enrollmentOrder();
    const printing = service.deps.certificates.reservationPrinting;
    const later = new Date(clock.now().getTime() + 8 * 86_400_000);
    expect((await refusal(printing.claim(placed.reservation!.number, 'store-1', later))).code).toBe('reservation.expired');
    expect((await refusal(printing.claim('not-a-number', 'store-1', clock.now()))).code).toBe('reservation.notFound');
  }, 60_000);

  it('creates a waiting campus job for a campus order', async () => {
    const placed = await enrollmentOrder('campus');
    expect(placed.reservation).toBeNull();
    const job = await service.deps.certificates.store.campusJobs.get(placed.campusJob!.id);
    expect(job).toMatchObject({ status: 'waiting', orderId: placed.order.id });
  }, 60_000);

  it('creates a mail order awaiting shipment with the address for a mail order', async () => {
    const address = { kind: 'domestic', postalCode: '100-0001', prefecture: '東京都', line1: '千代田区千代田1-1', line2: '' } as const;
    const placed = await orders().placeOrder(
      { account: enrolled, studentId: '2101001', destination: 'mail', items: [{ typeCode: 'transcript', language: 'en', copies: 2 }], postalAddress: address },
      clock.now(),
    );
    const mail = await service.deps.certificates.store.mailOrders.get(placed.mailOrder!.id);
    expect(mail).toMatchObject({ status: 'awaitingShipment', address, recipientName: '山田 太郎' });
    const text = execFileSync('pdftotext', [await pdfFile(placed.certificates[0]!.number), '-'], { encoding: 'utf8' });
    expect(text).toContain('Academic Transcript');
  }, 60_000);
});
