/** University → faculty → department, derived from the student records (the selects of the forms). */
import type { CatalogueDepartment, CatalogueFaculty, CatalogueUniversity, CatalogueUnitRecord, LocalizedName } from './model.js';

interface Named {
  name: LocalizedName;
  /** Which record's names win when records disagree: the most recently imported. */
  rank: string;
}

const byCode = <T extends { code: string }>(a: T, b: T) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/**
 * Codes are unique per parent (a faculty code within its university, a department code within
 * its faculty). When a unit was renamed, older records keep the old name; the most recently
 * imported record's name is used.
 */
export function deriveCatalogue(students: Iterable<CatalogueUnitRecord>): CatalogueUniversity[] {
  const universities = new Map<string, Named & { faculties: Map<string, Named & { departments: Map<string, Named> }> }>();
  const pick = <T extends Named>(current: T | undefined, name: LocalizedName, rank: string, make: () => T): T => {
    if (!current) return { ...make(), name, rank };
    if (rank > current.rank) Object.assign(current, { name, rank });
    return current;
  };
  for (const s of students) {
    const rank = `${s.updatedAt}|${s.enrollmentDate}|${s.studentId}`;
    const u = pick(universities.get(s.universityCode), s.universityName, rank, () => ({ name: s.universityName, rank, faculties: new Map() }));
    universities.set(s.universityCode, u);
    const f = pick(u.faculties.get(s.facultyCode), s.facultyName, rank, () => ({ name: s.facultyName, rank, departments: new Map() }));
    u.faculties.set(s.facultyCode, f);
    const d = pick(f.departments.get(s.departmentCode), s.departmentName, rank, () => ({ name: s.departmentName, rank }));
    f.departments.set(s.departmentCode, d);
  }
  return [...universities]
    .map(([code, u]): CatalogueUniversity => ({
      code,
      name: u.name,
      faculties: [...u.faculties]
        .map(([fcode, f]): CatalogueFaculty => ({
          code: fcode,
          name: f.name,
          departments: [...f.departments].map(([dcode, d]): CatalogueDepartment => ({ code: dcode, name: d.name })).sort(byCode),
        }))
        .sort(byCode),
    }))
    .sort(byCode);
}
