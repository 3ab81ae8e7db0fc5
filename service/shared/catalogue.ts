/** Names in both languages, and the catalogue of universities the application form chooses from. */
export interface LocalizedName {
  ja: string;
  en: string;
}

/** University → faculty → department, with ja/en names; derived from the student records. */
export interface CatalogueDepartment {
  code: string;
  name: LocalizedName;
}
export interface CatalogueFaculty {
  code: string;
  name: LocalizedName;
  departments: CatalogueDepartment[];
}
export interface CatalogueUniversity {
  code: string;
  name: LocalizedName;
  faculties: CatalogueFaculty[];
}
