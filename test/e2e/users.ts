/**
 * Users of the real SimpleSAMLphp IdP in the end-to-end runs. Their values are deliberately
 * unlike the demo IdP's (other domains, ID formats, names) so nothing can lean on demo data.
 */
const OID = {
  eppn: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6',
  mail: 'urn:oid:0.9.2342.19200300.100.1.3',
  jaDisplayName: 'urn:oid:1.3.6.1.4.1.32264.1.1.3',
  displayName: 'urn:oid:2.16.840.1.113730.3.1.241',
  studentId: 'urn:oid:1.3.6.1.4.1.32264.1.1.11',
};

export interface E2eUser {
  username: string;
  password: string;
  attributes: Record<string, string[]>;
}

const user = (username: string, kanji: string, roman: string, studentId: string): E2eUser => ({
  username,
  password: `pw-${username}-9!`,
  attributes: {
    [OID.eppn]: [`${username}@campus.e2e.example.ac.jp`],
    [OID.mail]: [`${username}@campus.e2e.example.ac.jp`],
    [OID.jaDisplayName]: [kanji],
    [OID.displayName]: [roman],
    [OID.studentId]: [studentId],
  },
});

/** One user per (viewport, language) flow, so the flows never share an account. */
export const SSP_USERS: E2eUser[] = [
  user('phone-ja', '北村 葵', 'Aoi Kitamura', 'E24-0017'),
  user('phone-en', '南 陽介', 'Yosuke Minami', 'E24-0288'),
  user('kiosk-ja', '東山 凛', 'Rin Higashiyama', 'M25-1003'),
  user('kiosk-en', '西川 律', 'Ritsu Nishikawa', 'D23-4410'),
  user('phone-switch', '中島 結衣', 'Yui Nakajima', 'E22-0951'),
  user('kiosk-switch', '小野寺 蓮', 'Ren Onodera', 'E21-7702'),
];

export const sspUser = (name: string): E2eUser => {
  const found = SSP_USERS.find((u) => u.username === name);
  if (!found) throw new Error(`no e2e user ${name}`);
  return found;
};
