// The renderer's side of an export: serve mode's download URL (the token goes in a header) and the file
// name taken from the server's Content-Disposition.
import { describe, expect, it } from 'vitest';
import { authHeaders, exportUrl, serveEndpoint } from '../../../src-renderer/api/urls';
import { attachmentName } from '../../../src-renderer/measurements/exportFile';

describe('export from the renderer', () => {
  it('asks GET /export with the format, the objects and the image, the token in the Authorization header', () => {
    const ep = serveEndpoint('http://127.0.0.1:5000', 'a b');
    expect(exportUrl(ep, { format: 'masks', imageId: 3 })).toBe('http://127.0.0.1:5000/export?format=masks&objects=accepted&image=3');
    expect(exportUrl(ep, { format: 'coco', objects: 'all' })).toBe('http://127.0.0.1:5000/export?format=coco&objects=all');
    expect(authHeaders(ep)).toEqual({ authorization: 'Bearer a b' });
  });

  it('names the file as the server does', () => {
    expect(attachmentName('attachment; filename="3_a_labels.tif"', 'x')).toBe('3_a_labels.tif');
    expect(attachmentName(null, 'export-coco')).toBe('export-coco');
  });
});
