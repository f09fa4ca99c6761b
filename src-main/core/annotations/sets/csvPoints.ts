// Points from a CSV file, as labs keep marker positions: `x,y` with an optional `class` column.
// The first row is a header when its fields are not numbers; then columns are found by name
// (x, y, class; any case; 'classification' and 'label' also name the class) and other columns
// are kept with each point. Without a header the columns are x, y and optionally class.
// Delimiter: comma, or tab or semicolon when the first row has no comma (spreadsheets in many
// locales write those). Quoted fields follow RFC 4180 (what Python's csv module writes).
import { AnnotationFileError, type ParsedAnnotation } from './parsedAnnotation';

const CLASS_NAMES = ['class', 'classification', 'label'];

/** Splits one line into fields; null when a quote is left open. */
function splitLine(line: string, delimiter: string): string[] | null {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < line.length) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === delimiter) {
      out.push(field);
      field = '';
    } else {
      field += ch;
    }
    i++;
  }
  if (quoted) return null;
  out.push(field);
  return out.map((f) => f.trim());
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const isNumber = (s: string | undefined): boolean => s !== undefined && NUMBER.test(s);

interface Columns {
  x: number;
  y: number;
  cls: number | null;
  extra: Array<{ index: number; name: string }>;
}

function headerColumns(fields: string[], lineNo: number): Columns {
  const names = fields.map((f) => f.toLowerCase());
  const find = (wanted: readonly string[]) => names.findIndex((n) => wanted.includes(n));
  const x = find(['x']);
  const y = find(['y']);
  if (x < 0 || y < 0) {
    throw new AnnotationFileError(`line ${lineNo}: the header (${fields.join(', ')}) has no ${x < 0 ? "'x'" : "'y'"} column, and the row is not two numbers either`);
  }
  const cls = find(CLASS_NAMES);
  const extra = fields.flatMap((name, index) => (index === x || index === y || index === cls ? [] : [{ index, name }]));
  return { x, y, cls: cls < 0 ? null : cls, extra };
}

export function parseCsvPoints(text: string): ParsedAnnotation[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const firstIndex = lines.findIndex((l) => l.trim() !== '');
  if (firstIndex < 0) throw new AnnotationFileError('the file is empty');
  const first = lines[firstIndex] as string;
  const delimiter = first.includes(',') ? ',' : first.includes('\t') ? '\t' : first.includes(';') ? ';' : ',';
  const firstFields = splitLine(first, delimiter);
  if (!firstFields) throw new AnnotationFileError(`line ${firstIndex + 1}: a quoted field is not closed`);
  const hasHeader = !(isNumber(firstFields[0]) && isNumber(firstFields[1]));
  const columns: Columns = hasHeader
    ? headerColumns(firstFields, firstIndex + 1)
    : { x: 0, y: 1, cls: firstFields.length >= 3 ? 2 : null, extra: [] };
  const width = firstFields.length;
  const out: ParsedAnnotation[] = [];
  for (let i = hasHeader ? firstIndex + 1 : firstIndex; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const where = `line ${i + 1}`;
    const fields = splitLine(line, delimiter);
    if (!fields) throw new AnnotationFileError(`${where}: a quoted field is not closed`);
    if (fields.length !== width) throw new AnnotationFileError(`${where}: ${fields.length} field(s), the ${hasHeader ? 'header has' : 'first row has'} ${width}`);
    const xs = fields[columns.x] as string;
    const ys = fields[columns.y] as string;
    if (!isNumber(xs)) throw new AnnotationFileError(`${where}: x ${JSON.stringify(xs)} is not a number`);
    if (!isNumber(ys)) throw new AnnotationFileError(`${where}: y ${JSON.stringify(ys)} is not a number`);
    const cls = columns.cls === null ? '' : (fields[columns.cls] as string);
    const className = cls === '' ? null : cls;
    const properties: Record<string, unknown> = { objectType: 'annotation' };
    if (className !== null) properties.classification = { name: className };
    if (columns.extra.length > 0) properties.columns = Object.fromEntries(columns.extra.map((c) => [c.name, fields[c.index]]));
    out.push({ where, geometry: { type: 'Point', coordinates: [Number(xs), Number(ys)] }, className, objectType: 'annotation', featureId: null, properties });
  }
  return out;
}
