import { randomInt } from 'node:crypto';

const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkCharacters = '10X98765432';

/** The GB 11643-1999 check character of the first 17 digits of a resident ID number. */
export function idCheckCharacter(first17: string): string {
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * weights[i]!, 0);
  return checkCharacters[sum % 11]!;
}

/** A valid resident ID number: Wuhou district (510107), a real birth date, a random sequence number. */
export function residentIdNumber(birth = '19900307'): string {
  const first17 = `510107${birth}${String(randomInt(0, 1000)).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

/** The same number with a wrong check character. */
export function invalidResidentIdNumber(): string {
  const valid = residentIdNumber();
  const wrong = checkCharacters[(checkCharacters.indexOf(valid.at(-1)!) + 1) % 11]!;
  return valid.slice(0, 17) + wrong;
}

/** A mobile number no demo account uses (the 139 range). */
export function newMobileNumber(): string {
  return `139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

export const demoCitizen = '13800000001';
