import { mergeMessages, type Messages } from '../locales/merge';

/** `{ './<feature>/<lang>.json': messages }` (an eager glob) → core + features, merged (each feature its own top-level keys). */
export function bundle(core: Messages, files: Record<string, Messages>): Messages {
  const features: Record<string, Messages> = {};
  for (const [file, messages] of Object.entries(files)) {
    const feature = /([^/]+)\/[^/]+\.json$/.exec(file)?.[1];
    if (feature) features[feature] = messages;
  }
  return mergeMessages(core, features);
}
