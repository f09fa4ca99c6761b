// The labelling grid lives in src-shared (the viewer's crop-label tool uses it too).
export { cropGrid, centredCrop, gridCropAt, type CropRectPx } from '../../../../src-shared/cropGrid';
