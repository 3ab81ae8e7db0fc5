import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ApplicationSummary, StudentIdLinkResponse } from '@contract/applications';
import type { CatalogueUniversity } from '@shared/catalogue';
import { getApplications, getCatalogue, postStudentIdLink } from '../api/applications';

/** 利用申請: the catalogue for the form's selects and the signed-in account's applications. */
export const useApplicationsStore = defineStore('applications', () => {
  /** University → faculty → department (GET /api/catalogue); null until loaded. */
  const catalogue = ref<CatalogueUniversity[] | null>(null);
  /** The account's applications, newest first; null until loaded. */
  const mine = ref<ApplicationSummary[] | null>(null);
  /** The last one-time URL mailed from this page load (送信), for the 申請完了 screen. */
  const lastLink = ref<StudentIdLinkResponse | null>(null);

  let catalogueLoading: Promise<CatalogueUniversity[]> | null = null;

  /** Loads the catalogue once per page load (again after a failure). */
  function ensureCatalogue(): Promise<CatalogueUniversity[]> {
    catalogueLoading ??= getCatalogue().then(
      (loaded) => {
        catalogue.value = loaded;
        return loaded;
      },
      (e: unknown) => {
        catalogueLoading = null;
        throw e;
      },
    );
    return catalogueLoading;
  }

  async function loadMine(): Promise<ApplicationSummary[]> {
    mine.value = await getApplications();
    return mine.value;
  }

  /** After a submission or resubmission: put the new state in the list at once. */
  function remember(application: ApplicationSummary): void {
    const others = (mine.value ?? []).filter((a) => a.id !== application.id);
    mine.value = [application, ...others].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async function sendLink(): Promise<StudentIdLinkResponse> {
    lastLink.value = await postStudentIdLink();
    return lastLink.value;
  }

  return { catalogue, mine, lastLink, ensureCatalogue, loadMine, remember, sendLink };
});
