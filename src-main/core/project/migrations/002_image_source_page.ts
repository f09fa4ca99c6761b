// Which page of its source file an image is: a multi-page TIFF imported "each page" gives one
// image per page, and re-linking or resuming an import must read the same page again.
import type { Migration } from './migration';

export const migration002ImageSourcePage: Migration = {
  version: 2,
  name: 'image source page',
  up(db) {
    db.exec('ALTER TABLE images ADD COLUMN source_page INTEGER NOT NULL DEFAULT 0 CHECK (source_page >= 0)');
  },
};
