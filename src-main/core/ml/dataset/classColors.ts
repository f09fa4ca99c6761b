// Colours given to new classes when the user picks none: distinct, readable on grey SEM images.
const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45', '#469990', '#9a6324'];

export function DEFAULT_CLASS_COLOR(index: number): string {
  return PALETTE[index % PALETTE.length] as string;
}
