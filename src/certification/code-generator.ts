import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L or 5/S: codes are read aloud and typed from paper. */
export const CODE_ALPHABET = '2346789ABCDEFGHJKMNPQRTUVWXYZ';
export const CODE_PATTERN = /^CSC-[2346789ABCDEFGHJKMNPQRTUVWXYZ]{4}-[2346789ABCDEFGHJKMNPQRTUVWXYZ]{4}$/;

/** Entries of the revocation status list (the Bitstring Status List minimum of 16 KB = 131,072 bits). */
export const STATUS_LIST_LENGTH = 131_072;

/** Human-friendly certificate codes like `CSC-7K3M-Q9TX`, from a CSPRNG (injected so tests can fix them). */
@Injectable()
export class CodeGenerator {
  next(): string {
    const part = () =>
      Array.from({ length: 4 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
    return `CSC-${part()}-${part()}`;
  }

  /** A position in the revocation status list, at random as the Bitstring Status List specification recommends. */
  nextStatusIndex(): number {
    return randomInt(STATUS_LIST_LENGTH);
  }
}

/** Accepts codes typed in lower case, with spaces or without dashes. */
export function normaliseCode(input: string): string {
  const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return compact.length === 11 && compact.startsWith('CSC')
    ? `CSC-${compact.slice(3, 7)}-${compact.slice(7)}`
    : input.toUpperCase().trim();
}
