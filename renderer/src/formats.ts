/**
 * Named formats for vue-i18n's `d()` and `n()`. `dateTime`: a moment in Japan time, whatever the viewer's
 * clock says (the university, its mails and its records are in Japan; staff abroad still read
 * the office's time), with the zone shown.
 */
const dateTime = { timeZone: 'Asia/Tokyo', hour12: false, timeZoneName: 'short' } as const;

export const datetimeFormats = {
  ja: { dateTime: { ...dateTime, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' } },
  en: { dateTime: { ...dateTime, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' } },
} as const;

/** `amount`: a whole number of yen (fees), grouped as the language writes it; the message adds 円 or ¥. */
export const numberFormats = {
  ja: { amount: { style: 'decimal', maximumFractionDigits: 0 } },
  en: { amount: { style: 'decimal', maximumFractionDigits: 0 } },
} as const;
