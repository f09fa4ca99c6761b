// "Retrain from decisions": the one fine-tuning mode the Review screen's button trains in. The
// button (renderer) starts it and main's background feature preparation prepares exactly its
// frozen features, so both read it from here.
export const RETRAIN_FROM_DECISIONS_MODE = 'linear+3-4' as const;
