/** A regulator report's draft as a Word document (Office Open XML), written with the `docx` package. */
import { AlignmentType, Document, Footer, Header, HeadingLevel, Packer, Paragraph, ShadingType, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { TO_FILL, type DraftContent } from './content.js';

/** Word shows Chinese in the East Asian font. */
const FONT = { ascii: 'Calibri', hAnsi: 'Calibri', eastAsia: 'SimSun', cs: 'Calibri' } as const;
const HEAD = 'EDEDED';
const TO_FILL_COLOUR = 'C00000';

/** A line, with every 【待填写】 in red so that nothing a person must write is overlooked. */
function line(text: string, options: { bold?: boolean; size?: number } = {}): Paragraph {
  const parts = text.split(TO_FILL);
  const runs = parts.flatMap((part, i) => [
    ...(i > 0 ? [new TextRun({ text: TO_FILL, bold: true, color: TO_FILL_COLOUR, size: options.size })] : []),
    ...(part ? [new TextRun({ text: part, bold: options.bold, size: options.size })] : []),
  ]);
  return new Paragraph({ spacing: { after: 80 }, children: runs });
}

function twoColumns(rows: [string, string][], widths: [number, number], head?: [string, string]): Table {
  const cell = (text: string, width: number, shaded: boolean) =>
    new TableCell({
      width: { size: width, type: WidthType.PERCENTAGE },
      shading: shaded ? { type: ShadingType.CLEAR, fill: HEAD, color: 'auto' } : undefined,
      children: [line(text, { bold: shaded, size: 20 })],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      ...(head ? [new TableRow({ tableHeader: true, children: [cell(head[0], widths[0], true), cell(head[1], widths[1], true)] })] : []),
      ...rows.map(([a, b]) => new TableRow({ children: [cell(a, widths[0], !head), cell(b, widths[1], false)] })),
    ],
  });
}

export async function renderDraftDocx(c: DraftContent): Promise<Buffer> {
  const doc = new Document({
    creator: 'Lifeline',
    title: c.title,
    description: c.notice,
    styles: { default: { document: { run: { font: FONT, size: 22 } } } },
    sections: [
      {
        headers: { default: new Header({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: c.notice, color: TO_FILL_COLOUR, size: 16 })] })] }) },
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: '草稿 · Lifeline 预填 · 报送前须人工审核', size: 16, color: '666666' })] })],
          }),
        },
        children: [
          line(c.notice, { bold: true }),
          new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [new TextRun({ text: c.title })] }),
          twoColumns(c.facts, [25, 75]),
          ...c.sections.flatMap((s) => [
            new Paragraph({ heading: HeadingLevel.HEADING_2, spacing: { before: 240, after: 120 }, children: [new TextRun({ text: s.heading })] }),
            ...s.paragraphs.map((p) => line(p)),
          ]),
          new Paragraph({ heading: HeadingLevel.HEADING_2, spacing: { before: 240, after: 120 }, children: [new TextRun({ text: '附：处置经过（据 Lifeline 事件时间线）' })] }),
          c.course.length ? twoColumns(c.course, [25, 75], ['时间', '经过']) : line(TO_FILL),
          new Paragraph({ children: [] }),
          ...c.signature.map((s) => line(s)),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
