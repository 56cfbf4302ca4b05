import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import yazl from 'yazl';
import { formatDate, t } from '../i18n/i18n';
import type { Language } from '../common/kernel/user-role.enum';
import { validityOf } from './certification.view';

export interface CertificateFacts {
  code: string;
  holderName: string;
  courseTitle: string;
  issuedOn: string;
  expiresOn: string;
  revokedOn: string | null;
  cohortName: string;
  facilitatorName: string | null;
  status: 'active' | 'expired' | 'revoked';
  verifyUrl: string;
  language: Language;
}

/** A one-page A4 landscape certificate in the holder's language, with a QR code to the verification page. */
export async function renderCertificate(facts: CertificateFacts): Promise<Buffer> {
  const lang = facts.language;
  const qr = await QRCode.toBuffer(facts.verifyUrl, {
    type: 'png',
    margin: 1,
    width: 220,
    errorCorrectionLevel: 'M',
  });
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 50,
    info: {
      Title: `${t(lang, 'certification.pdf.title')} ${facts.code}`,
      Author: 'Cascada',
      Subject: facts.courseTitle,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width;
  const height = doc.page.height;
  doc
    .rect(20, 20, width - 40, height - 40)
    .lineWidth(3)
    .stroke('#0b6e4f');
  doc
    .rect(28, 28, width - 56, height - 56)
    .lineWidth(1)
    .stroke('#0b6e4f');
  doc.fillColor('#0b6e4f').font('Helvetica-Bold').fontSize(16).text('CASCADA', 60, 60);
  doc
    .fillColor('#1b2a26')
    .font('Helvetica-Bold')
    .fontSize(30)
    .text(t(lang, 'certification.pdf.title'), 60, 110, { width: width - 120, align: 'center' });
  doc
    .font('Helvetica')
    .fontSize(14)
    .text(t(lang, 'certification.pdf.certifies'), 60, 170, { width: width - 120, align: 'center' });
  doc
    .font('Helvetica-Bold')
    .fontSize(26)
    .text(facts.holderName, 60, 200, { width: width - 120, align: 'center' });
  doc
    .font('Helvetica')
    .fontSize(14)
    .text(t(lang, 'certification.pdf.completed'), 60, 245, { width: width - 120, align: 'center' });
  doc
    .font('Helvetica-Bold')
    .fontSize(20)
    .text(facts.courseTitle, 90, 270, { width: width - 180, align: 'center' });
  const y = 360;
  doc.font('Helvetica').fontSize(12).fillColor('#1b2a26');
  const line = (label: string, value: string, dy: number) => {
    doc
      .font('Helvetica-Bold')
      .text(`${label}: `, 70, y + dy, { continued: true })
      .font('Helvetica')
      .text(value);
  };
  line(t(lang, 'certification.pdf.issued'), formatDate(lang, facts.issuedOn, 'long'), 0);
  // "Valid until" only while valid: a revoked or expired certificate says since when it is not.
  const validity = validityOf(facts.status, facts);
  line(t(lang, `certification.pdf.${validity.kind}`), formatDate(lang, validity.on, 'long'), 20);
  line(t(lang, 'certification.pdf.workshop'), facts.cohortName, 40);
  if (facts.facilitatorName) line(t(lang, 'certification.pdf.facilitator'), facts.facilitatorName, 60);
  line(t(lang, 'certification.pdf.code'), facts.code, 80);
  if (facts.status !== 'active') {
    doc
      .font('Helvetica-Bold')
      .fillColor('#b3261e')
      .text(t(lang, `certification.status.${facts.status}`).toUpperCase(), 70, y + 105);
    doc.fillColor('#1b2a26');
  }
  doc.image(qr, width - 230, y - 20, { width: 150 });
  doc
    .font('Helvetica')
    .fontSize(9)
    .text(t(lang, 'certification.pdf.verify'), width - 260, y + 135, { width: 210, align: 'center' });
  doc.fontSize(9).text(facts.verifyUrl, width - 260, y + 160, { width: 210, align: 'center' });
  doc.end();
  return done;
}

/** Several certificates as one ZIP (a cohort's download). */
export function zipFiles(files: Array<{ name: string; data: Buffer }>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const file of files) zip.addBuffer(file.data, file.name);
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** A file-name-safe version of a person's name (ASCII, no separators). */
export function fileSafe(name: string): string {
  return (
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'certificate'
  );
}
