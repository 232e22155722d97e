/** The report as a Word document (Office Open XML), drawn from the report's blocks with the `docx` package. */
import { AlignmentType, Document, Header, HeadingLevel, ImageRun, Packer, Paragraph, ShadingType, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { Block, ReportDocument } from './document.js';

/** Word shows Chinese in the East Asian font; Latin text in the other. */
const FONT = { ascii: 'Calibri', hAnsi: 'Calibri', eastAsia: 'SimSun', cs: 'Calibri' } as const;
const HEADING_FONT = { ascii: 'Calibri', hAnsi: 'Calibri', eastAsia: 'SimHei', cs: 'Calibri' } as const;
const MARK = 'FDE2E2';
const HEAD = 'EDEDED';

const cellText = (text: string, bold = false) =>
  new Paragraph({ children: text.split('\n').flatMap((line, n) => [...(n ? [new TextRun({ text: '', break: 1 })] : []), new TextRun({ text: line, bold, size: 18 })]) });

function table(b: Extract<Block, { kind: 'table' }>): Table {
  const row = (cells: string[], head: boolean, marked: boolean) =>
    new TableRow({
      tableHeader: head,
      children: cells.map(
        (c) =>
          new TableCell({
            children: [cellText(c, head)],
            shading: head ? { type: ShadingType.CLEAR, fill: HEAD, color: 'auto' } : marked ? { type: ShadingType.CLEAR, fill: MARK, color: 'auto' } : undefined,
          }),
      ),
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [row(b.head, true, false), ...b.rows.map((r, n) => row(r, false, b.marked?.[n] ?? false))],
  });
}

function fields(b: Extract<Block, { kind: 'fields' }>): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: b.rows.map(
      ([label, value]) =>
        new TableRow({
          children: [
            new TableCell({ width: { size: 25, type: WidthType.PERCENTAGE }, shading: { type: ShadingType.CLEAR, fill: HEAD, color: 'auto' }, children: [cellText(label, true)] }),
            new TableCell({ width: { size: 75, type: WidthType.PERCENTAGE }, children: [cellText(value)] }),
          ],
        }),
    ),
  });
}

function block(b: Block): (Paragraph | Table)[] {
  switch (b.kind) {
    case 'heading':
      return [new Paragraph({ heading: HeadingLevel.HEADING_1, spacing: { before: 240, after: 120 }, children: [new TextRun({ text: b.text })] })];
    case 'paragraph':
      return b.text.split('\n').map((line) => new Paragraph({ spacing: { after: 80 }, children: [new TextRun({ text: line, italics: b.muted, color: b.muted ? '666666' : undefined })] }));
    case 'fields':
      return [fields(b)];
    case 'table':
      return [table(b), new Paragraph({ children: [] })];
    case 'images':
      // Word takes JPEG and PNG; a WebP photo is named by its caption only
      return b.images.map(
        (i) =>
          new Paragraph({
            spacing: { after: 120 },
            children: [
              ...(i.type === 'image/webp'
                ? []
                : [new ImageRun({ type: i.type === 'image/png' ? 'png' : 'jpg', data: i.data, transformation: { width: 160, height: 120 } }), new TextRun({ text: '', break: 1 })]),
              new TextRun({ text: i.caption, size: 16 }),
            ],
          }),
      );
  }
}

export async function renderDocx(doc: ReportDocument): Promise<Buffer> {
  const lang = doc.lang === 'en' ? 'en-US' : 'zh-CN';
  const file = new Document({
    creator: 'Lifeline',
    title: doc.title,
    description: doc.subtitle,
    styles: {
      default: {
        document: { run: { font: FONT, size: 21, language: { value: lang, eastAsia: 'zh-CN' } } },
        heading1: { run: { font: HEADING_FONT, size: 28, bold: true, color: '1F3864' } },
        title: { run: { font: HEADING_FONT, size: 36, bold: true } },
      },
    },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } },
        ...(doc.pageMark
          ? {
              headers: {
                default: new Header({ children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: doc.pageMark, bold: true, color: 'C00000', size: 24 })] })] }),
              },
            }
          : {}),
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun({ text: doc.title })] }),
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [new TextRun({ text: doc.subtitle, color: '555555', size: 18 })] }),
          ...doc.blocks.flatMap(block),
        ],
      },
    ],
  });
  return Packer.toBuffer(file);
}
