/**
 * The recipient of a PDF送付 order (提出先): organisation, name, mail address and the language of
 * their mail. One schema for the issue form and the service; messages are field codes
 * (`required`, `tooLong`, `mail.invalid`).
 */
import { z } from 'zod';

export interface PdfRecipient {
  /** 提出先: the company or organisation the certificate is submitted to; printed on the PDF. */
  organisation: string;
  /** The person (or department) who receives the mail. */
  name: string;
  mail: string;
  /** Language of the recipient's mail and download page. */
  language: 'ja' | 'en';
}

/** The longest organisation or recipient name accepted. */
export const PDF_RECIPIENT_NAME_MAX = 100;

const MAIL_PATTERN = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

const nameField = z
  .string({ error: 'required' })
  // Line breaks would break the mail's and the PDF's one-line fields.
  .transform((s) => s.replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(1, 'required').max(PDF_RECIPIENT_NAME_MAX, 'tooLong'));

export const pdfRecipientSchema: z.ZodType<PdfRecipient, unknown> = z.object({
  organisation: nameField,
  name: nameField,
  mail: z.string({ error: 'required' }).trim().min(1, 'required').max(254, 'tooLong').regex(MAIL_PATTERN, 'mail.invalid'),
  language: z.enum(['ja', 'en'], { error: 'required' }),
});

/** Copies of one line an order may ask for: a PDF is one file, so PDF送付 takes one per line; printing, the type's own limit. */
export const copiesLimitFor = (destination: string, maxCopies: number): number => (destination === 'pdf' ? 1 : maxCopies);
