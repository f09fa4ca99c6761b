// Synthetic SEM test data: tiles with DAB-like markers and ground truth, TIFF writing, and
// labelled training crops.
export { generateSemTile, writeSemTiff, DEFAULT_MARKER_DENSITY, type SemTile, type SemTileOptions, type SemMarker } from './semTile';
export { generateSemCrops, semCropLabel, type SemCrop, type SemCropOptions } from './semCrops';
export { MARKER_NOMINAL_DIAMETER } from './semMarkers';
