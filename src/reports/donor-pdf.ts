import PDFDocument from 'pdfkit';
import { formatNumber, t, tn } from '../i18n/i18n';
import type { Language } from '../common/kernel/user-role.enum';

interface Breakdown {
  total?: number;
  students?: number;
  female: number;
  male: number;
  unspecified: number;
}

export interface DonorFacts {
  trained: Breakdown;
  certified: Breakdown;
  reach: Record<string, number>;
  multiplier: number | null;
  period: { from: string; to: string };
  countryName?: string;
}

/** The donor summary as a one-page A4 PDF, in the reader's language. */
export function renderDonorPdf(facts: DonorFacts, lang: Language): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: t(lang, 'reports.donor.title'), Author: 'Cascada' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const n = (value: number | undefined) => formatNumber(lang, value ?? 0);
  doc.fillColor('#0b6e4f').font('Helvetica-Bold').fontSize(12).text('CASCADA');
  doc.moveDown(0.5).fillColor('#1b2a26').fontSize(20).text(t(lang, 'reports.donor.title'));
  doc
    .font('Helvetica')
    .fontSize(11)
    .text(
      `${t(lang, 'reports.donor.period', facts.period)}${facts.countryName ? ` · ${facts.countryName}` : ''}`,
    );
  doc.moveDown();
  const columns = [
    t(lang, 'reports.donor.indicator'),
    t(lang, 'reports.col.total'),
    t(lang, 'reports.col.female'),
    t(lang, 'reports.col.male'),
    t(lang, 'reports.col.unspecified'),
  ];
  const widths = [215, 70, 70, 70, 70];
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    let x = 50;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(10);
    cells.forEach((cell, i) => {
      doc.text(cell, x, y, { width: widths[i] - 6, align: i === 0 ? 'left' : 'right' });
      x += widths[i];
    });
    doc
      .moveTo(50, doc.y + 3)
      .lineTo(545, doc.y + 3)
      .lineWidth(0.5)
      .stroke('#cfd8d5');
    doc.y += 8;
  };
  row(columns, true);
  row([
    t(lang, 'reports.donor.trained'),
    n(facts.trained.total),
    n(facts.trained.female),
    n(facts.trained.male),
    n(facts.trained.unspecified),
  ]);
  row([
    t(lang, 'reports.donor.certified'),
    n(facts.certified.total),
    n(facts.certified.female),
    n(facts.certified.male),
    n(facts.certified.unspecified),
  ]);
  row([
    t(lang, 'reports.donor.students'),
    n(facts.reach.students),
    n(facts.reach.female),
    n(facts.reach.male),
    n(facts.reach.unspecified),
  ]);
  doc.moveDown();
  doc.font('Helvetica-Bold').fontSize(12).text(t(lang, 'reports.donor.by-age'), 50);
  doc.moveDown(0.3);
  const ages = ['under_10', '10_14', '15_17', '18_plus'];
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(ages.map((a) => `${t(lang, `reports.col.${a}`)}: ${n(facts.reach[a])}`).join('   ·   '));
  doc.moveDown();
  // A number, then its label in the plural form for that number ("1 school reached", "2 schools reached").
  const counted = (value: number, key: string) => `${n(value)} ${tn(lang, key, value)}`;
  doc.text(
    `${counted(facts.reach.schools, 'reports.donor.schools')}   ·   ${counted(facts.reach.sessions, 'reports.donor.sessions')}`,
  );
  doc.text(
    `${counted(facts.reach.teachers, 'reports.donor.teachers')}   ·   ${counted(facts.reach.parents, 'reports.donor.parents')}`,
  );
  if (facts.multiplier !== null) doc.text(counted(facts.multiplier, 'reports.cascade.multiplier'));
  doc.moveDown();
  doc.fontSize(8).fillColor('#4a5a55').text(t(lang, 'reports.donor.note'));
  doc.end();
  return done;
}
