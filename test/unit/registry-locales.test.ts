import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IMPORT_ERROR_CODES, STATUSES } from '../../service/domain/registry/import.js';

const messages = (language: 'ja' | 'en') =>
  JSON.parse(readFileSync(new URL(`../../renderer/src/locales/registry/${language}.json`, import.meta.url), 'utf8')) as {
    registry: { importErrors: Record<string, Record<string, string>>; status: Record<string, string> };
  };

describe('registry import texts', () => {
  for (const language of ['ja', 'en'] as const) {
    it(`every import error code has a ${language} message`, () => {
      const { importErrors } = messages(language).registry;
      const missing = IMPORT_ERROR_CODES.filter((code) => {
        const [group, name] = code.split('.') as [string, string];
        return typeof importErrors[group]?.[name] !== 'string';
      });
      expect(missing).toEqual([]);
    });

    it(`every registry status has a ${language} label`, () => {
      expect(Object.keys(messages(language).registry.status).sort()).toEqual([...STATUSES].sort());
    });
  }
});
