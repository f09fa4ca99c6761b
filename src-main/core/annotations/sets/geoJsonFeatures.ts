// Features from a GeoJSON file as QuPath writes them (and as our export does,
// core/export/exportGeoJson.ts): a FeatureCollection, a single Feature, or the bare array of
// Features older QuPath versions write. Geometry in image pixels; `properties.classification.name`
// is the class and `properties.objectType` ('annotation', 'detection', 'cell') is kept. Each
// feature is kept as read (id and properties) so it can be written back unchanged.
import { AnnotationFileError, type ParsedAnnotation } from './parsedAnnotation';
import { GeometryError, parseSetGeometry } from './setGeometry';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function featureList(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return doc;
  if (!isObject(doc)) throw new AnnotationFileError('the file is not a GeoJSON object');
  if (doc.type === 'FeatureCollection') {
    if (!Array.isArray(doc.features)) throw new AnnotationFileError("the FeatureCollection has no 'features' array");
    return doc.features;
  }
  if (doc.type === 'Feature') return [doc];
  throw new AnnotationFileError(`the file is a GeoJSON ${JSON.stringify(doc.type)}, not a Feature or FeatureCollection`);
}

function describe(index: number, f: unknown): string {
  const id = isObject(f) && (typeof f.id === 'string' || typeof f.id === 'number') ? ` (id ${JSON.stringify(f.id)})` : '';
  return `feature ${index}${id}`;
}

function feature(f: unknown, where: string): ParsedAnnotation {
  if (!isObject(f) || f.type !== 'Feature') throw new AnnotationFileError(`${where}: not a GeoJSON Feature`);
  if (f.id !== undefined && typeof f.id !== 'string' && typeof f.id !== 'number') throw new AnnotationFileError(`${where}: id must be a string or a number`);
  const raw = f.properties ?? null;
  if (raw !== null && !isObject(raw)) throw new AnnotationFileError(`${where}: properties must be an object or null`);
  const props: Record<string, unknown> = raw ?? {};
  let geometry;
  try {
    geometry = parseSetGeometry(f.geometry);
  } catch (err) {
    if (err instanceof GeometryError) throw new AnnotationFileError(`${where}: ${err.message}`);
    throw err;
  }
  const classification = props.classification;
  let className: string | null = null;
  if (classification !== undefined && classification !== null) {
    if (!isObject(classification) || typeof classification.name !== 'string') throw new AnnotationFileError(`${where}: properties.classification has no name`);
    className = classification.name === '' ? null : classification.name;
  }
  const objectType = props.objectType;
  if (objectType !== undefined && typeof objectType !== 'string') throw new AnnotationFileError(`${where}: properties.objectType must be a string`);
  return { where, geometry, className, objectType: objectType ?? null, featureId: (f.id as string | number | undefined) ?? null, properties: raw };
}

export function parseGeoJsonFeatures(text: string): ParsedAnnotation[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new AnnotationFileError(`the file is not valid JSON: ${(err as Error).message}`);
  }
  return featureList(doc).map((f, i) => feature(f, describe(i, f)));
}
