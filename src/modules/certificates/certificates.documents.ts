import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import { LRUCache } from 'lru-cache';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import type { LicenceFields } from './certificates.schema.js';

const require = createRequire(import.meta.url);

/** Noto Sans SC (SIL OFL 1.1), the simplified-Chinese cut shipped by @fontsource/noto-sans-sc. */
function fontPath(weight: 400 | 700): string {
  return require.resolve(`@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-${weight}-normal.woff`);
}

/**
 * Unpacks a WOFF 1.0 file into the plain sfnt (TrueType) it wraps: each table inflated when compressed,
 * the table directory rewritten with new offsets. fontkit reads WOFF directly but inflates the whole glyf
 * table again for every glyph it touches (minutes for a CJK licence); from the sfnt it takes milliseconds.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('Not a WOFF 1.0 font');
  const numTables = woff.readUInt16BE(12);
  const tables: { tag: string; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const entry = 44 + i * 20;
    const offset = woff.readUInt32BE(entry + 4);
    const compressed = woff.readUInt32BE(entry + 8);
    const original = woff.readUInt32BE(entry + 12);
    const raw = woff.subarray(offset, offset + compressed);
    const data = compressed < original ? inflateSync(raw) : Buffer.from(raw);
    if (data.length !== original) throw new Error('WOFF table length mismatch');
    tables.push({ tag: woff.toString('latin1', entry, entry + 4), checksum: woff.readUInt32BE(entry + 16), data });
  }
  const padded = (n: number) => (n + 3) & ~3;
  const out = Buffer.alloc(12 + 16 * numTables + tables.reduce((sum, t) => sum + padded(t.data.length), 0));
  let power = 1;
  let log2 = 0;
  while (power * 2 <= numTables) {
    power *= 2;
    log2++;
  }
  out.writeUInt32BE(woff.readUInt32BE(4), 0); // flavor: 0x00010000 for TrueType outlines
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(power * 16, 6);
  out.writeUInt16BE(log2, 8);
  out.writeUInt16BE(numTables * 16 - power * 16, 10);
  let offset = 12 + 16 * numTables;
  tables.forEach((t, i) => {
    const entry = 12 + i * 16;
    out.write(t.tag, entry, 'latin1');
    out.writeUInt32BE(t.checksum, entry + 4);
    out.writeUInt32BE(offset, entry + 8);
    out.writeUInt32BE(t.data.length, entry + 12);
    t.data.copy(out, offset);
    offset += padded(t.data.length);
  });
  return out;
}

let fonts: Promise<{ regular: Uint8Array; bold: Uint8Array }> | null = null;
function loadFonts() {
  fonts ??= Promise.all([readFile(fontPath(400)), readFile(fontPath(700))]).then(([regular, bold]) => ({
    regular: woffToSfnt(regular),
    bold: woffToSfnt(bold),
  }));
  return fonts;
}

/** A PNG of the QR code that leads to the verify page. */
export async function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 });
}

/** The QR code as inline SVG, for the mobile view. */
export async function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

export interface LicenceDocument {
  credentialId: string;
  fields: LicenceFields;
  issuedOn: string;
  validUntil: string | null;
  verifyUrl: string;
}

/**
 * Splits text into lines that fit a width, character by character (Chinese has no spaces to break at).
 * Widths are summed per character (no kerning in CJK text), each measured once.
 */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const widths = new Map<string, number>();
  const widthOf = (ch: string) => {
    let w = widths.get(ch);
    if (w === undefined) widths.set(ch, (w = font.widthOfTextAtSize(ch, size)));
    return w;
  };
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    let lineWidth = 0;
    for (const ch of paragraph) {
      const w = widthOf(ch);
      if (line !== '' && lineWidth + w > width) {
        lines.push(line);
        line = '';
        lineWidth = 0;
      }
      line += ch;
      lineWidth += w;
    }
    lines.push(line);
  }
  return lines;
}

const pdfCache = new LRUCache<string, Uint8Array>({ max: 200 });

/** The A4 licence: fields in Chinese from an embedded (subset) Noto Sans SC, and the QR code. */
export async function licencePdf(doc: LicenceDocument): Promise<Uint8Array> {
  const cached = pdfCache.get(doc.credentialId);
  if (cached) return cached;
  const { regular, bold } = await loadFonts();
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  pdf.setTitle(`营业执照 ${doc.fields.name}`);
  pdf.setSubject(`统一社会信用代码 ${doc.fields.uscc}`);
  pdf.setProducer('ServiceHall');
  pdf.setCreationDate(new Date(`${doc.issuedOn}T00:00:00+08:00`));
  const body = await pdf.embedFont(regular, { subset: true });
  const heading = await pdf.embedFont(bold, { subset: true });
  const page: PDFPage = pdf.addPage([595.28, 841.89]);
  const { width, height } = page.getSize();
  const ink = rgb(0.1, 0.1, 0.1);
  const red = rgb(0.66, 0.1, 0.1);
  const margin = 56;

  page.drawRectangle({ x: 28, y: 28, width: width - 56, height: height - 56, borderColor: red, borderWidth: 3 });
  page.drawRectangle({ x: 36, y: 36, width: width - 72, height: height - 72, borderColor: red, borderWidth: 0.8 });

  page.drawText(`统一社会信用代码`, { x: margin, y: height - 90, size: 10, font: body, color: ink });
  page.drawText(doc.fields.uscc, { x: margin, y: height - 108, size: 13, font: heading, color: ink });

  const qr = await pdf.embedPng(await qrPng(doc.verifyUrl));
  const qrSize = 108;
  page.drawImage(qr, { x: width - margin - qrSize, y: height - 70 - qrSize, width: qrSize, height: qrSize });
  page.drawText('扫码核验 Scan to verify', { x: width - margin - qrSize + 2, y: height - 84 - qrSize, size: 8, font: body, color: ink });

  const title = '营业执照';
  const titleSize = 40;
  page.drawText(title, { x: (width - heading.widthOfTextAtSize(title, titleSize)) / 2, y: height - 230, size: titleSize, font: heading, color: red });
  const sub = '（电子营业执照）';
  page.drawText(sub, { x: (width - body.widthOfTextAtSize(sub, 14)) / 2, y: height - 256, size: 14, font: body, color: ink });

  const labelWidth = 84;
  const valueWidth = width - margin * 2 - labelWidth;
  let y = height - 310;
  const row = (label: string, value: string, size = 12) => {
    page.drawText(label, { x: margin, y, size: 12, font: heading, color: ink });
    for (const line of wrap(value, body, size, valueWidth)) {
      page.drawText(line, { x: margin + labelWidth, y, size, font: body, color: ink });
      y -= size + 7;
    }
    y -= 8;
  };
  row('名　　称', doc.fields.name);
  row('类　　型', doc.fields.type);
  row('法定代表人', doc.fields.legalRepresentative);
  row('注册资本', doc.fields.registeredCapital);
  row('成立日期', doc.fields.establishedOn);
  row('营业期限', doc.validUntil ? `${doc.fields.establishedOn} 至 ${doc.validUntil}` : `${doc.fields.establishedOn} 至 长期`);
  row('住　　所', doc.fields.address);
  row('经营范围', doc.fields.businessScope, doc.fields.businessScope.length > 400 ? 9 : 11);

  const footY = 120;
  page.drawText(`登记机关\u3000${doc.fields.authority}`, { x: width - margin - 260, y: footY + 26, size: 12, font: body, color: ink });
  page.drawText(`发照日期\u3000${doc.issuedOn}`, { x: width - margin - 260, y: footY + 6, size: 12, font: body, color: ink });
  page.drawText(`电子凭证编号 ${doc.credentialId}`, { x: margin, y: 64, size: 8, font: body, color: ink });
  page.drawText('本执照以 W3C 可验证凭证（vc+jwt，ES256）签发，可在核验页面或用任何 JOSE 库核验。', { x: margin, y: 52, size: 8, font: body, color: ink });

  const bytes = await pdf.save();
  pdfCache.set(doc.credentialId, bytes);
  return bytes;
}
