// The cluttered-digits benchmark data (MICRA-Net paper) built from the shared MNIST files.
export { loadMnist, poolIndices, SHARED_MNIST_DIR, type MnistSet, type DigitPool } from './mnist';
export { generateClutteredDigits, FIELD_SIZE, DISC_RADIUS, MAX_DIGITS, type ClutteredDigits, type ClutteredDigitsOptions, type DigitInstance } from './clutteredDigits';
export { poissonDiscSample, type DiscPoint } from './poissonDisc';
