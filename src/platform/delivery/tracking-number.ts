import { randomInt } from 'node:crypto';

/** Luhn check digit over the digits, so a mistyped digit or a swap of neighbours is caught. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Doubling starts from the rightmost digit, which will sit next to the check digit.
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** A courier-like tracking number: SH, 11 random digits and a check digit (SH + 12 digits). */
export function newTrackingNo(): string {
  let digits = '';
  for (let i = 0; i < 11; i++) digits += String(randomInt(10));
  return `SH${digits}${luhnCheckDigit(digits)}`;
}

export function isValidTrackingNo(value: string): boolean {
  const m = /^SH(\d{11})(\d)$/.exec(value);
  return !!m && luhnCheckDigit(m[1] ?? '') === Number(m[2]);
}
