/** Calendar-date rules of DESIGN.md "Certification". Dates are `YYYY-MM-DD` strings. */

export interface ValidityFacts {
  issuedOn: string;
  expiresOn: string;
  revokedOn: string | null;
}

/** `date` plus `months` calendar months; the 31st of a shorter month becomes its last day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = m - 1 + months;
  const year = y + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`).getTime() + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Valid on D when issuedOn ≤ D ≤ expiresOn and not revoked on or before D. */
export function isValidOn(cert: ValidityFacts, date: string): boolean {
  if (date < cert.issuedOn || date > cert.expiresOn) return false;
  return cert.revokedOn === null || date < cert.revokedOn;
}

export function statusOn(cert: ValidityFacts, today: string): 'active' | 'expired' | 'revoked' {
  if (cert.revokedOn !== null && cert.revokedOn <= today) return 'revoked';
  return today > cert.expiresOn ? 'expired' : 'active';
}

export const isDate = (value: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) &&
  !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
  new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
