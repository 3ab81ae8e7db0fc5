/**
 * The application form in the browser: empty values, a form shown again for editing, the same
 * checks the service makes (service/shared/application-form.ts, bundled here), and the
 * translation of a field's error code.
 */
import { useI18n } from 'vue-i18n';
import type { ApplicationForm, ApplicationFormInput } from '@contract/applications';
import type { CatalogueUniversity } from '@shared/catalogue';
import { APPLICATION_FORM_FIELDS, parseApplicationForm, type ApplicationFormField } from '@shared/application-form';

export { APPLICATION_FORM_FIELDS, type ApplicationFormField };

export function emptyApplicationForm(): ApplicationFormInput {
  return {
    nameKanji: '',
    nameKana: '',
    nameRoman: '',
    universityCode: '',
    facultyCode: '',
    departmentCode: '',
    studentId: '',
    graduationYearMonth: '',
    leaveType: '',
  };
}

/** A submitted form as editable strings (編集して再申請). */
export function inputFromForm(form: ApplicationForm): ApplicationFormInput {
  return { ...form };
}

/**
 * The service's own checks, run before 確認: field → error code, empty when the form is fine.
 * With `catalogue` null the university/faculty/department codes are only checked for presence.
 */
export function checkApplicationForm(
  input: ApplicationFormInput,
  catalogue: CatalogueUniversity[] | null,
): { ok: true; form: ApplicationForm } | { ok: false; fields: Record<string, string> } {
  const result = parseApplicationForm(input, { catalogue });
  return result.ok ? result : { ok: false, fields: result.fields as Record<string, string> };
}

/** Text for a field's error code, in the current language; never the raw code. */
export function useApplicationFieldText() {
  const { t, te } = useI18n();
  const CHOICES = new Set(['universityCode', 'facultyCode', 'departmentCode', 'leaveType']);
  return (field: string, code: string): string => {
    if (code === 'required' && CHOICES.has(field)) return t('applications.fieldErrors.requiredChoice');
    const key = `applications.fieldErrors.${code}`;
    return te(key) ? t(key) : t('applications.fieldErrors.generic');
  };
}
