// SPDX-License-Identifier: GPL-2.0-only
// Numbers as specs write them: decimal, hex, C limits (INT_MAX, SIZE_MAX),
// and names joined by "|" resolved through the arch's constant table.

const LIMITS: Record<string, bigint> = {
  INT_MIN: -(1n << 31n),
  INT_MAX: (1n << 31n) - 1n,
  UINT_MAX: (1n << 32n) - 1n,
  LONG_MIN: -(1n << 63n),
  LONG_MAX: (1n << 63n) - 1n,
  ULONG_MAX: (1n << 64n) - 1n,
  SSIZE_MAX: (1n << 63n) - 1n,
  SIZE_MAX: (1n << 64n) - 1n,
  U32_MAX: (1n << 32n) - 1n,
  S32_MAX: (1n << 31n) - 1n,
  U64_MAX: (1n << 64n) - 1n,
  S64_MAX: (1n << 63n) - 1n,
};

/** The value of a spec's numeric text, or undefined when it is not one the harness knows. */
export function numericValue(text: string, constant: (name: string) => bigint | undefined = () => undefined): bigint | undefined {
  const parts = text.split("|").map((p) => p.trim());
  let total = 0n;
  for (const part of parts) {
    let v: bigint | undefined;
    if (/^-?(?:0x[0-9a-f]+|\d+)$/i.test(part)) v = part.startsWith("-") ? -BigInt(part.slice(1)) : BigInt(part);
    else v = LIMITS[part] ?? constant(part);
    if (v === undefined) return undefined;
    total = parts.length === 1 ? v : total | v;
  }
  return total;
}

/** The range of values a parameter of this KAPI type holds in its register. */
export function typeLimits(type: string | undefined): { min: bigint; max: bigint } {
  switch (type) {
    case "INT":
      return { min: LIMITS.INT_MIN!, max: LIMITS.INT_MAX! };
    case "UINT":
      return { min: 0n, max: LIMITS.UINT_MAX! };
    default:
      return { min: LIMITS.LONG_MIN!, max: LIMITS.ULONG_MAX! };
  }
}
