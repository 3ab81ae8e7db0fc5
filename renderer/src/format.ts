const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY/MM/DD HH:mm` in the viewer's local time, as the manual shows dates (2022/12/02 15:14). */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
