import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { MailRequest, MailSentResponse } from '@contract/api';
import { postMail, type MailPurpose } from '../api/client';

export interface SentMail extends MailSentResponse {
  purpose: MailPurpose;
  /** What the student typed, for 再送信 and to refill the form when they go back. */
  request: MailRequest;
}

/** The confirmation-mail flow shared by registration (first login) and mail change. */
export const useMailStore = defineStore('mail', () => {
  /** The last confirmation mail sent from this page load; null after a reload. */
  const lastSent = ref<SentMail | null>(null);

  async function send(purpose: MailPurpose, request: MailRequest): Promise<SentMail> {
    const response = await postMail(purpose, request);
    lastSent.value = { ...response, purpose, request };
    return lastSent.value;
  }

  /** What the form should show again for this purpose (the last request), if any. */
  function draftFor(purpose: MailPurpose): MailRequest | null {
    return lastSent.value?.purpose === purpose ? lastSent.value.request : null;
  }

  return { lastSent, send, draftFor };
});
