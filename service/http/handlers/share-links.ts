import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { ShareLinkCreateRequest, SharedRequest } from '../../contract/share-links.js';
import { SHARE_LINKS_ACTIVE_MAX } from '../../shared/share-links.js';
import type { AppDeps } from '../deps.js';
import { accountOf } from '../middleware/auth.js';
import { shareLinkAccesses, shareLinkList, shareLinkView, sharedCertificate, shareUrl } from '../presenters/share-links.js';
import { certificateNumberParam, idParam, validated } from '../validate.js';

const certificateNumber = z.string({ error: 'required' }).max(40, 'tooLong');
const linkParams = z.object({ id: idParam('shareLink.notFound') });
/** The token as the service made it (base64url); anything else is simply not a link. */
const shared = z.object({
  token: z.string({ error: 'required' }).max(128, 'tooLong'),
  pin: z.string().max(32, 'tooLong').optional(),
}) satisfies z.ZodType<SharedRequest>;

/** What each share-link route checks (routes/share-links.ts); the rules of days and PIN are the domain's (shared/share-links.ts). */
export const shareLinkInput = {
  list: { query: z.object({ certificate: certificateNumberParam }) },
  create: {
    body: z.object({
      certificate: certificateNumber,
      days: z.number({ error: 'shareLink.daysRange' }),
      pin: z.string().max(32, 'shareLink.pinFormat').optional(),
      label: z.string().max(200, 'tooLong').optional(),
    }) satisfies z.ZodType<ShareLinkCreateRequest>,
  },
  link: { params: linkParams },
  shared: { body: shared },
};
const input = shareLinkInput;

const clientOf = (req: Request) => ({ ip: req.ip ?? req.socket.remoteAddress ?? 'unknown', userAgent: req.get('user-agent') });

/** Nothing of a shared certificate is cached or passed on as a Referer. */
function privateAnswer(res: Response): void {
  res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
}

export function shareLinkHandlers(deps: AppDeps) {
  const links = () => deps.shareLinks;
  const typeName = async (code: string) => (await deps.certificates.store.types.get(code))?.name ?? { ja: code, en: code };

  const list: RequestHandler = async (_req, res) => {
    const { certificate } = validated(res, input.list).query;
    const found = await links().list(accountOf(res), certificate);
    res.json(shareLinkList(found, await typeName(found.certificate.typeCode), SHARE_LINKS_ACTIVE_MAX));
  };
  const create: RequestHandler = async (_req, res) => {
    const { certificate, days, pin, label } = validated(res, input.create).body;
    const made = await links().create(accountOf(res), certificate, { days, pin, label });
    res.status(201).json({ link: shareLinkView(made.link), url: shareUrl(deps.config.publicUrl, made.token) });
  };
  const accesses: RequestHandler = async (_req, res) => {
    const found = await links().accesses(accountOf(res), validated(res, input.link).params.id);
    res.json(shareLinkAccesses(found.link, found.accesses));
  };
  const revoke: RequestHandler = async (_req, res) => {
    res.json(shareLinkView(await links().revoke(accountOf(res), validated(res, input.link).params.id)));
  };

  const view: RequestHandler = async (req, res) => {
    privateAnswer(res);
    const { token, pin } = validated(res, input.shared).body;
    res.json(sharedCertificate(await links().open(token, pin ?? null, clientOf(req))));
  };
  const document: RequestHandler = async (req, res) => {
    privateAnswer(res);
    const { token, pin } = validated(res, input.shared).body;
    const { number, pdf } = await links().document(token, pin ?? null, clientOf(req));
    res.set({ 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${number}.pdf"` });
    res.send(Buffer.from(pdf));
  };

  return { list, create, accesses, revoke, view, document };
}
