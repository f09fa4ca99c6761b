// Synthetic SEM test data: tiles with DAB-like markers and ground truth (in a fixed or drawn
// style, see semStyle.ts), TIFF writing, and labelled training crops.
export { generateSemTile, writeSemTiff, DEFAULT_MARKER_DENSITY, type SemTile, type SemTileOptions, type SemMarker } from './semTile';
export { generateSemCrops, semCropLabel, type SemCrop, type SemCropOptions } from './semCrops';
export { MARKER_NOMINAL_DIAMETER } from './semMarkers';
export {
  CLASSIC_STYLE,
  drawSemStyle,
  HELD_OUT_STYLE_FAMILIES,
  isSemStyleFamily,
  SEM_STYLE_FAMILIES,
  type SemStyle,
  type SemStyleFamily,
} from './semStyle';
