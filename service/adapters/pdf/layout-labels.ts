/** Fixed words printed on certificates, per language (everything else comes from the document). */
import type { Language } from '../../domain/model.js';

export interface CertificateLabels {
  name: string;
  birthDate: string;
  studentId: string;
  faculty: string;
  department: string;
  degree: string;
  enrollmentDate: string;
  graduationDate: string;
  expectedGraduationDate: string;
  validUntil: string;
  certificateNumber: string;
  verificationCode: string;
  verifyCaption: (url: string) => string;
  columns: { code: string; title: string; term: string; credits: string; grade: string };
  totalCredits: (credits: number) => string;
  gpa: (gpa: number) => string;
  continued: string;
  /**
   * Only on documents delivered as files. Kept out of the top-level strings on purpose: those go
   * into every template's fonts, and printed certificates must stay as they are.
   */
  delivery: { submittedTo: string; line: (organisation: string) => string };
}

export const LABELS: Record<Language, CertificateLabels> = {
  ja: {
    name: '氏名',
    birthDate: '生年月日',
    studentId: '学籍番号',
    faculty: '学部',
    department: '学科',
    degree: '学位',
    enrollmentDate: '入学年月日',
    graduationDate: '卒業年月日',
    expectedGraduationDate: '卒業見込年月日',
    validUntil: '有効期限',
    certificateNumber: '証明書番号',
    verificationCode: '照合コード',
    verifyCaption: (url) => `真正性の確認: ${url}（証明書番号と照合コードを入力）`,
    columns: { code: '科目コード', title: '授業科目名', term: '履修期', credits: '単位', grade: '評価' },
    totalCredits: (c) => `修得単位数合計　${c} 単位`,
    gpa: (g) => `GPA　${g.toFixed(2)}`,
    continued: '（続き）',
    delivery: { submittedTo: '提出先', line: (o) => `提出先：${o}` },
  },
  en: {
    name: 'Name',
    birthDate: 'Date of Birth',
    studentId: 'Student ID',
    faculty: 'Faculty',
    department: 'Department',
    degree: 'Degree',
    enrollmentDate: 'Date of Enrollment',
    graduationDate: 'Date of Graduation',
    expectedGraduationDate: 'Expected Date of Graduation',
    validUntil: 'Valid Until',
    certificateNumber: 'Certificate No.',
    verificationCode: 'Verification Code',
    verifyCaption: (url) => `Verify at ${url} with the certificate number and verification code.`,
    columns: { code: 'Code', title: 'Course Title', term: 'Term', credits: 'Credits', grade: 'Grade' },
    totalCredits: (c) => `Total Credits Earned: ${c}`,
    gpa: (g) => `GPA: ${g.toFixed(2)}`,
    continued: ' (continued)',
    delivery: { submittedTo: 'Submitted to', line: (o) => `Submitted to: ${o}` },
  },
};
